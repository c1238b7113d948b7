//! `docsql executor`: Ballista's executor, with docsql's functions in its
//! function registry, on one listener.
//!
//! The executor asks the scheduler for work (pull scheduling), so its only
//! listener is the Arrow Flight service that serves task results. docsql binds
//! it before Ballista starts: with port 0 the OS picks a free port, which is
//! then the one the executor registers, so several executors share a machine
//! without clashing.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use arrow_flight::flight_service_server::FlightServiceServer;
use ballista_core::config::TaskSchedulingPolicy;
use ballista_core::error::BallistaError;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_executor::flight_service::BallistaFlightService;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

use super::{ClusterAddress, ClusterError};

/// How an executor runs.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler to register with.
    pub scheduler: ClusterAddress,
    /// Where the Flight service listens (port 0: a free port).
    pub bind: SocketAddr,
    /// The host the scheduler and clients reach this executor at; needed
    /// when `bind` is an unspecified address (0.0.0.0), else its IP.
    pub advertise: Option<String>,
    /// Where shuffle files go (default: a temporary folder).
    pub work_dir: Option<String>,
    /// Tasks run at once (0: one per core).
    pub cores: usize,
}

/// Runs an executor until the process ends (or the scheduler connection is
/// lost for good). `ready` is called with the Flight address once it is bound.
///
/// Not generic over `ready`: see [`super::scheduler::run`].
pub async fn run(options: ExecutorOptions, ready: Box<dyn FnOnce(SocketAddr) + Send>) -> Result<(), ClusterError> {
    let bind_error = |source| ClusterError::Bind { address: options.bind.to_string(), source };
    let advertise = match (&options.advertise, options.bind.ip().is_unspecified()) {
        (Some(host), _) => host.clone(),
        (None, false) => options.bind.ip().to_string(),
        (None, true) => return Err(ClusterError::NeedsAdvertise { bind: options.bind }),
    };
    let listener = TcpListener::bind(options.bind).await.map_err(bind_error)?;
    let local = listener.local_addr().map_err(bind_error)?;
    // Taken once by the Flight service Ballista starts.
    let flight_listener = Mutex::new(Some(listener));

    let mut config = ExecutorProcessConfig {
        bind_host: local.ip().to_string(),
        external_host: Some(advertise),
        port: local.port(),
        scheduler_host: options.scheduler.host.clone(),
        scheduler_port: options.scheduler.port,
        // Started alongside the scheduler, an executor waits for it a while.
        scheduler_connect_timeout_seconds: 10,
        task_scheduling_policy: TaskSchedulingPolicy::PullStaged,
        work_dir: options.work_dir.clone(),
        override_function_registry: Some(Arc::new(super::function_registry())),
        ..ExecutorProcessConfig::default()
    };
    if options.cores > 0 {
        config.vcores = options.cores;
    }
    let max_encoding = config.grpc_max_encoding_message_size as usize;
    let max_decoding = config.grpc_max_decoding_message_size as usize;
    config.override_arrow_flight_service = Some(Arc::new(move |work_dir, _address, mut shutdown, grpc_config| {
        let taken = flight_listener.lock().unwrap_or_else(|e| e.into_inner()).take();
        tokio::spawn(async move {
            let Some(listener) = taken else {
                return Err(BallistaError::Internal("the Flight service was started twice".into()));
            };
            ballista_core::utils::create_grpc_server(&grpc_config)
                .add_service(
                    FlightServiceServer::new(BallistaFlightService::new(work_dir))
                        .max_encoding_message_size(max_encoding)
                        .max_decoding_message_size(max_decoding),
                )
                .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async move { shutdown.recv().await })
                .await
                .map_err(BallistaError::TonicError)
        })
    }));
    ready(local);
    start_executor_process(Arc::new(config)).await?;
    Ok(())
}
