//! Test support: running a provider's future that is ready at once.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// The value of `future`, which must be ready at once (the local provider does no I/O).
pub(crate) fn now<T>(future: impl Future<Output = T>) -> T {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the local provider never waits"),
    }
}
