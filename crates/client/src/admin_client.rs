//! The client side of the administration space.

use crate::client::{ApiClient, ClientError};
use cqc_sync::admin::{
    CentreView, JournalPage, JournalQuery, NewCentre, NewFees, NewStaff, ScheduledFeesView, StaffView,
};

impl ApiClient {
    pub async fn admin_centres(&self) -> Result<Vec<CentreView>, ClientError> {
        self.get("/admin/centres").await
    }

    pub async fn approve_centre(&self, centre: &NewCentre) -> Result<CentreView, ClientError> {
        self.post("/admin/centres", centre).await
    }

    pub async fn admin_staff(&self) -> Result<Vec<StaffView>, ClientError> {
        self.get("/admin/staff").await
    }

    pub async fn invite_staff(&self, staff: &NewStaff) -> Result<StaffView, ClientError> {
        self.post("/admin/staff", staff).await
    }

    pub async fn deactivate_staff(&self, account_id: &str) -> Result<StaffView, ClientError> {
        self.post(&format!("/admin/staff/{account_id}/deactivate"), &()).await
    }

    pub async fn fee_schedule(&self) -> Result<Vec<ScheduledFeesView>, ClientError> {
        self.get("/admin/fees").await
    }

    pub async fn schedule_fees(&self, fees: &NewFees) -> Result<ScheduledFeesView, ClientError> {
        self.post("/admin/fees", fees).await
    }

    pub async fn cancel_fees(&self, starts_on: &str) -> Result<(), ClientError> {
        self.send_no_content(self.http.delete(self.url(&format!("/admin/fees/{starts_on}")))).await
    }

    pub async fn journal(&self, query: &JournalQuery) -> Result<JournalPage, ClientError> {
        self.send(self.http.get(self.url("/admin/journal")).query(query)).await
    }
}
