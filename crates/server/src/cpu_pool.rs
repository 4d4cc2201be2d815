//! CPU-heavy work runs on a small pool of its own threads, at a lower scheduling priority.
//!
//! argon2id hashes, requisition analyses, PDF reports and audit export pages each keep a core
//! busy for tens to hundreds of milliseconds. On the async workers, or on tokio's unbounded
//! blocking pool, a few of them at once take every core, and the quick requests (the readiness
//! dashboard, the audit timeline, badge scans at a gate) wait behind them: the load benchmark
//! measured the timeline's p99 at 248 ms with two hashes at once on two cores.
//!
//! So heavy work runs here: at most [`CpuPool::threads`] jobs at once (by default one fewer than
//! the machine's cores, at least one), the rest queued in order, on threads whose nice value is
//! raised (by default +10), so that when the machine is busy the kernel gives the async workers,
//! PostgreSQL and everything else at normal priority their share first. An idle machine runs the
//! heavy work at full speed: niceness only matters under contention.

use crate::error::AppError;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The pool. Cloning shares it; the threads end when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct CpuPool {
    jobs: Sender<Job>,
    threads: usize,
}

/// How the pool is sized and prioritised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuPoolSettings {
    /// Threads (jobs at once).
    pub threads: usize,
    /// Added to the threads' nice value (0 to 19; 0 leaves them at the server's priority).
    pub nice: i32,
}

impl Default for CpuPoolSettings {
    /// One fewer thread than the machine has cores (at least one), nice +10.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self {
            threads: cores.saturating_sub(1).max(1),
            nice: 10,
        }
    }
}

impl CpuPool {
    /// Starts the pool's threads.
    pub fn new(settings: CpuPoolSettings) -> std::io::Result<Self> {
        let threads = settings.threads.max(1);
        let nice = settings.nice.clamp(0, 19);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("attest-cpu-{n}"))
                .spawn(move || work(&queue, nice))?;
        }
        Ok(Self { jobs, threads })
    }

    /// How many jobs run at once.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `job` on the pool and waits for its result. A job that panics is an internal error
    /// whose message never quotes the panic (it could quote the data).
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                // The caller may have gone (its request was cancelled); the work is done anyway.
                let _ = done.send(job());
            }))
            .map_err(|_| AppError::internal("the CPU pool has stopped"))?;
        result
            .await
            .map_err(|_| AppError::internal("a CPU-bound task stopped unexpectedly"))
    }
}

/// One pool thread: lowers its own priority, then runs jobs until the pool is dropped.
fn work(queue: &Mutex<Receiver<Job>>, nice: i32) {
    if nice > 0 {
        // On Linux a nice value belongs to a thread: this lowers only this one. Failing to lower
        // it costs fairness, not correctness.
        if let Err(error) =
            rustix::process::setpriority_process(Some(rustix::thread::gettid()), nice)
        {
            tracing::warn!(%error, "could not lower a CPU pool thread's priority");
        }
    }
    loop {
        let job = {
            let Ok(queue) = queue.lock() else { return };
            match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        // A panicking job drops its result's sender, which its caller sees as an error; the
        // thread goes on with the next job.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn nice_of_this_thread() -> i32 {
        rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap_or(-100)
    }

    #[tokio::test]
    async fn runs_at_most_its_threads_at_once_and_returns_every_result() {
        let pool = CpuPool::new(CpuPoolSettings {
            threads: 2,
            nice: 0,
        })
        .unwrap();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..8u64).map(|i| {
            let (running, most) = (Arc::clone(&running), Arc::clone(&most));
            pool.run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
                i * i
            })
        });
        let results: Vec<u64> = futures_util::future::try_join_all(jobs).await.unwrap();
        assert_eq!(results, (0..8).map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(
            most.load(Ordering::SeqCst),
            2,
            "two threads, two jobs at once"
        );
    }

    #[tokio::test]
    async fn its_threads_run_at_the_lowered_priority_and_the_caller_keeps_its_own() {
        let before = nice_of_this_thread();
        let pool = CpuPool::new(CpuPoolSettings {
            threads: 1,
            nice: 7,
        })
        .unwrap();
        let inside = pool.run(nice_of_this_thread).await.unwrap();
        assert_eq!(inside, (before + 7).min(19));
        assert_eq!(
            nice_of_this_thread(),
            before,
            "only the pool's thread was lowered"
        );
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_pool_goes_on() {
        let pool = CpuPool::new(CpuPoolSettings {
            threads: 1,
            nice: 0,
        })
        .unwrap();
        let failed = pool.run(|| -> u8 { panic!("the data: secret") }).await;
        let error = format!("{:?}", failed.unwrap_err());
        assert!(!error.contains("secret"), "{error}");
        assert_eq!(pool.run(|| 41 + 1).await.unwrap(), 42);
    }

    #[test]
    fn the_default_leaves_a_core_for_quick_requests() {
        let settings = CpuPoolSettings::default();
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(settings.threads, cores.saturating_sub(1).max(1));
        assert_eq!(settings.nice, 10);
    }
}
