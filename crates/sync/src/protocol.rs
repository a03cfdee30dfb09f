//! The offline sync, after Replicache's push/pull: each device (client) numbers its changes
//! (mutations) 1, 2, 3…; the server applies each number at most once, in order, records the last
//! number applied in the same transaction, and answers per mutation. Pull returns every record
//! that changed after the client's cursor, with the new cursor.

use crate::certificate_code::CertificateClaims;
use cqc_domain::training::{Qualification, TrainingFieldErrors, TrainingKind, TrainingOutcome, TrainingRecordInput};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How many mutations a push carries at most; the rest go in the next push. Each push is one
/// transaction, durable on both sides (a disk flush each): a centre back from a week offline
/// (500 trainings) syncs in one push.
pub const MAX_PUSH_BATCH: usize = 1000;
/// How large a push's body is at most, whatever the names typed: the client fills a push up to
/// this, and the server accepts twice as much (room for an older client's estimate).
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;
/// How many records a pull returns at most; `has_more` says to pull again.
pub const MAX_PULL_PAGE: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Mutation {
    /// 1 for the device's first change, then one more for each.
    #[ts(type = "number")]
    pub seq: i64,
    /// Made by the device; the same change keeps it across resends.
    pub id: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Change {
    /// A trainee's training, new, or corrected after a rejection (same `training_id`).
    RecordTraining { training_id: String, record: TrainingRecordInput },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct PushRequest {
    /// The device's id, made on its first run.
    pub client_id: String,
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct PushResponse {
    /// Every mutation up to this number is applied; the device drops them from its outbox.
    #[ts(type = "number")]
    pub last_applied_seq: i64,
    pub results: Vec<MutationResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct MutationResult {
    #[ts(type = "number")]
    pub seq: i64,
    pub id: String,
    pub outcome: Outcome,
}

/// The server's verdict on one mutation, or on one training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    Accepted,
    Rejected {
        /// A French sentence for the record's line.
        reason: String,
        #[serde(default, skip_serializing_if = "TrainingFieldErrors::is_empty")]
        #[ts(optional, as = "Option<TrainingFieldErrors>")]
        fields: TrainingFieldErrors,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct PullResponse {
    #[ts(type = "number")]
    pub cursor: i64,
    pub has_more: bool,
    /// For centre staff: their centre's trainings and the server's verdict on each.
    pub trainings: Vec<CentreTraining>,
    /// For a driver: their recaps and certificates.
    pub recaps: Vec<Recap>,
    pub certificates: Vec<Certificate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CentreTraining {
    pub training_id: String,
    pub record: TrainingRecordInput,
    pub outcome: Outcome,
    /// Whether the trainee's account was found; otherwise the training waits for it.
    pub matched: bool,
}

/// The training recap of « Mes formations ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Recap {
    pub training_id: String,
    pub holder: String,
    pub birth_date: String,
    pub licence_number: String,
    pub centre_name: String,
    pub centre_approval_number: String,
    pub centre_address: String,
    pub kind: TrainingKind,
    pub qualification: Qualification,
    pub start_date: String,
    pub end_date: String,
    #[ts(type = "number")]
    pub hours: u32,
    pub outcome: TrainingOutcome,
    pub issued_on: String,
    /// The last day it can be seen; none for the initial qualification.
    pub available_until: Option<String>,
}

impl Recap {
    /// Whether the recap can still be seen on `today` (the domain's retention rule, applied from
    /// its issue day, so that a stale `available_until` never decides).
    pub fn is_available_on(&self, today: cqc_domain::Date) -> bool {
        cqc_domain::registration::parse_iso_date(&self.issued_on)
            .is_none_or(|issued| cqc_domain::qualification::recap_is_available(self.kind, issued, today))
    }
}

/// The qualification certificate of « Mes certificats ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Certificate {
    pub claims: CertificateClaims,
    pub training_id: String,
    pub centre_name: String,
    pub training_end: String,
    /// The signed code printed as a QR.
    pub code: String,
}

/// The server's public keys, with which certificates verify offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CertificateKeys {
    pub keys: Vec<String>,
}

/// The local side of the sync (the desktop's SQLite store), which the engine in `cqc-client`
/// drives. Each method is one local transaction.
pub trait Replica {
    type Error: std::fmt::Display;
    fn client_id(&self) -> Result<String, Self::Error>;
    /// The oldest pending mutations numbered after `seq`, in order.
    fn pending_after(&self, seq: i64, limit: usize) -> Result<Vec<Mutation>, Self::Error>;
    fn pending_count(&self) -> Result<usize, Self::Error>;
    /// Records the server's answers and drops the applied mutations from the outbox.
    fn apply_push(&self, response: &PushResponse) -> Result<(), Self::Error>;
    fn cursor(&self) -> Result<i64, Self::Error>;
    /// Whether every training this replica pushed is here as its push's answer left it (not the
    /// case after it forgot what it pulled, until it pulled everything again): its pulls can then
    /// leave them out.
    fn holds_own_pushes(&self) -> Result<bool, Self::Error>;
    /// Stores the pulled records and the new cursor together.
    fn apply_pull(&self, response: &PullResponse) -> Result<(), Self::Error>;
}

/// What a push does with a device's mutations, given the last one already applied for it: the
/// ordering rule of the sync, kept pure so that its cases are tested as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushPlan {
    /// Applied by an earlier push whose answer was lost: their stored answers are sent again.
    pub replays: Vec<i64>,
    /// The next ones in order (`last + 1`, `last + 2`, …): applied now.
    pub fresh: Vec<Mutation>,
    /// The first missing number, when one is: the push stops there and the device sends it again
    /// with the ones after it.
    pub stopped_at: Option<i64>,
}

pub fn plan_push(last_applied: i64, mut mutations: Vec<Mutation>) -> PushPlan {
    mutations.sort_by_key(|m| m.seq);
    let mut replays: Vec<i64> = mutations.iter().map(|m| m.seq).filter(|&seq| seq <= last_applied).collect();
    replays.dedup();
    let mut fresh = Vec::new();
    let mut stopped_at = None;
    let mut next = last_applied + 1;
    for mutation in mutations.into_iter().filter(|m| m.seq > last_applied) {
        if mutation.seq < next {
            continue; // the same number twice in one push: the first one counts
        }
        if mutation.seq > next {
            stopped_at = Some(next);
            break;
        }
        next += 1;
        fresh.push(mutation);
    }
    PushPlan { replays, fresh, stopped_at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(seqs: &[i64]) -> Vec<Mutation> {
        let record = cqc_domain::training::fixtures::valid_fco();
        let change = |seq: i64| Change::RecordTraining { training_id: format!("t{seq}"), record: record.clone() };
        seqs.iter().map(|&seq| Mutation { seq, id: format!("m{seq}"), change: change(seq) }).collect()
    }

    #[test]
    fn a_push_replays_what_was_applied_takes_the_next_in_order_and_stops_at_a_gap() {
        // (last applied, sent in any order) → (replayed, applied now, stopped at)
        type Case = (i64, &'static [i64], &'static [i64], &'static [i64], Option<i64>);
        let table: [Case; 8] = [
            (0, &[1, 2, 3], &[], &[1, 2, 3], None),
            (0, &[3, 1, 2], &[], &[1, 2, 3], None),
            (2, &[1, 2, 3, 4], &[1, 2], &[3, 4], None),
            (2, &[2, 2, 1], &[1, 2], &[], None),
            (2, &[3, 5, 6], &[], &[3], Some(4)),
            (0, &[2, 3], &[], &[], Some(1)),
            (1, &[2, 2, 3], &[], &[2, 3], None),
            (5, &[], &[], &[], None),
        ];
        for (last, sent, replays, fresh, stopped_at) in table {
            let plan = plan_push(last, numbered(sent));
            let applied: Vec<i64> = plan.fresh.iter().map(|m| m.seq).collect();
            assert_eq!(
                (plan.replays.as_slice(), applied.as_slice(), plan.stopped_at),
                (replays, fresh, stopped_at),
                "{last} {sent:?}"
            );
        }
    }
}
