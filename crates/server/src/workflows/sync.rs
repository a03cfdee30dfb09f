//! A centre's device pushes the trainings it recorded, offline or not: the mutations it has not
//! sent yet, numbered from 1. What is replayed, applied or left for the next push is
//! `cqc_sync::protocol::plan_push`; this applies the plan in one unit of work.

use crate::auth::CentreStaff;
use crate::db::trainings as store;
use crate::error::{AppError, AppResult};
use crate::trainings;
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_sync::protocol::{plan_push, Change, MutationResult, Outcome, PushRequest, PushResponse, MAX_PUSH_BATCH};

pub async fn push(state: &AppState, staff: &CentreStaff, request: PushRequest) -> AppResult<PushResponse> {
    if uuid::Uuid::parse_str(&request.client_id).is_err() {
        return Err(AppError::bad_request("Identifiant d'appareil invalide."));
    }
    if request.mutations.len() > MAX_PUSH_BATCH {
        return Err(AppError::bad_request("Trop de modifications dans un seul envoi."));
    }
    let _turn = state.push_turn.acquire().await.map_err(AppError::internal)?;
    let mut work = UnitOfWork::begin_as(state, &staff.caller, &[]).await?;
    let now = work.now;
    let tx = work.conn_that_sends().await?;
    let device = request.client_id.as_str();
    let last_applied =
        store::lock_client(tx, device, &staff.centre.id, now).await?.ok_or_else(AppError::device_of_another_centre)?;
    let plan = plan_push(last_applied, request.mutations);

    let mut results = Vec::with_capacity(plan.replays.len() + plan.fresh.len());
    for seq in plan.replays {
        // Applied by an earlier push whose answer was lost: the same answer again.
        if let Some((id, outcome)) = store::mutation_result(tx, device, seq).await? {
            results.push(MutationResult { seq, id, outcome });
        }
    }
    let records: Vec<_> = plan
        .fresh
        .iter()
        .map(|m| match &m.change {
            Change::RecordTraining { training_id, record } => (training_id.as_str(), record),
        })
        .collect();
    let mut batch = trainings::PushBatch::load(tx, state, &staff.centre, device, &records).await?;
    let mut applied: Vec<(i64, String, Outcome)> = Vec::with_capacity(plan.fresh.len());
    for mutation in &plan.fresh {
        let outcome = match &mutation.change {
            Change::RecordTraining { training_id, record } => {
                let staff_id = &staff.caller.account_id;
                trainings::apply_record(tx, state, &mut batch, &staff.centre, staff_id, training_id, record).await?
            }
        };
        applied.push((mutation.seq, mutation.id.clone(), outcome));
    }
    let last_applied = applied.last().map_or(last_applied, |(seq, _, _)| *seq);
    store::save_mutation_results(tx, device, &applied).await?;
    batch.finish(tx).await?;
    store::set_last_seq(tx, device, last_applied).await?;
    work.commit().await?;
    metrics::counter!("sync_pushes_total").increment(1);
    metrics::counter!("sync_mutations_applied_total").increment(applied.len() as u64);
    results.extend(applied.into_iter().map(|(seq, id, outcome)| MutationResult { seq, id, outcome }));
    Ok(PushResponse { last_applied_seq: last_applied, results })
}
