//! `docsql scheduler`: Ballista's scheduler, with docsql's functions in every
//! session it plans.

use std::net::SocketAddr;
use std::sync::Arc;

use ballista_core::config::TaskSchedulingPolicy;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use datafusion::execution::FunctionRegistry;
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};

use super::ClusterError;

/// Seconds without a poll after which the scheduler takes an executor for
/// dead and runs its tasks elsewhere. Executors poll every few seconds even
/// when busy; Ballista's default (180 s) would leave a build waiting minutes
/// on a crashed machine.
const EXECUTOR_TIMEOUT_SECONDS: u64 = 20;

/// Runs a scheduler on `bind` (port 0: a free port) until the process ends.
/// `ready` is called with the address it listens on once it accepts
/// connections.
///
/// Not generic over `ready`, so that Ballista's server code is compiled once,
/// here, rather than in every crate that calls this.
pub async fn run(bind: SocketAddr, ready: Box<dyn FnOnce(SocketAddr) + Send>) -> Result<(), ClusterError> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|source| ClusterError::Bind { address: bind.to_string(), source })?;
    let local = listener.local_addr().map_err(|source| ClusterError::Bind { address: bind.to_string(), source })?;
    let mut config = SchedulerConfig::default()
        .with_hostname(local.ip().to_string())
        .with_port(local.port())
        // Executors ask for work: one listener each, no callbacks to them.
        .with_scheduler_policy(TaskSchedulingPolicy::PullStaged)
        .with_no_executors_grace_period_seconds(EXECUTOR_TIMEOUT_SECONDS)
        .with_override_session_builder(Arc::new(|config| {
            let mut state = ballista_core::utils::default_session_builder(config)?;
            for function in crate::functions::all() {
                state.register_udf(function)?;
            }
            Ok(state)
        }));
    config.bind_host = local.ip().to_string();
    config.executor_timeout_seconds = EXECUTOR_TIMEOUT_SECONDS;
    config.expire_dead_executor_interval_seconds = 5;
    let cluster = BallistaCluster::new_from_config(&config).await?;
    let scheduler = create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config)).await?;
    ready(local);
    start_grpc_service_with_listener(listener, scheduler).await?;
    Ok(())
}
