//! Futures and streams stay futures and streams when wrapped (the `futures` feature).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::{SendWrapper, WRONG_THREAD_POLL};

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.check(WRONG_THREAD_POLL);
        // SAFETY: the wrapped future is never moved out of a pinned wrapper.
        unsafe { self.map_unchecked_mut(|w| &mut *w.data) }.poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.check(WRONG_THREAD_POLL);
        // SAFETY: as for Future.
        unsafe { self.map_unchecked_mut(|w| &mut *w.data) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.data.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use crate::SendWrapper;
    use std::future::{ready, Future};
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    #[test]
    fn a_wrapped_future_is_polled_through() {
        let mut cx = Context::from_waker(Waker::noop());
        let wrapped = pin!(SendWrapper::new(ready(42)));
        assert_eq!(wrapped.poll(&mut cx), Poll::Ready(42));
    }

    #[test]
    fn another_thread_cannot_poll_it() {
        let wrapped = SendWrapper::new(ready(1));
        let polled = std::thread::spawn(move || {
            let mut cx = Context::from_waker(Waker::noop());
            pin!(wrapped).poll(&mut cx)
        });
        assert!(polled.join().is_err());
    }
}
