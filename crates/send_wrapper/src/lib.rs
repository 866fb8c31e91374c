//! `SendWrapper`: a value that is `Send` and `Sync` as long as only its own thread uses it.
//!
//! The console's stand-in for crates.io's send_wrapper 0.6, which Leptos uses throughout. That
//! crate asks `std::thread::current()` on every wrap and access; on wasm, std builds the thread
//! handle with its own copy of the system allocator (dlmalloc), which the console replaces
//! with a smaller one, so one call keeps 4 KB of allocator code alive. In a browser's wasm
//! without atomics there is one thread, so there is nothing to check. Everywhere else (native
//! tests) the check is upstream's: the thread that made the wrapper is the one that may use it.

#[cfg(feature = "futures")]
mod futures;

use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};

/// Which thread made a wrapper.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Owner(std::thread::ThreadId);

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
impl Owner {
    fn current() -> Self {
        Owner(std::thread::current().id())
    }
}

/// Which thread made a wrapper: on wasm without atomics, always the one thread there is.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Owner;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Owner {
    fn current() -> Self {
        Owner
    }
}

/// A value that may be moved between threads but used and dropped only on the thread that
/// wrapped it; anything else panics.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    owner: Owner,
}

impl<T> SendWrapper<T> {
    /// Wraps `data`, owned by the current thread.
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper {
            data: ManuallyDrop::new(data),
            owner: Owner::current(),
        }
    }

    /// Whether the current thread may use the value.
    pub fn valid(&self) -> bool {
        self.owner == Owner::current()
    }

    /// The value itself; panics on another thread.
    #[track_caller]
    pub fn take(self) -> T {
        self.check(WRONG_THREAD_USE);
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is moved out exactly once.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn check(&self, what: &'static str) {
        if !self.valid() {
            wrong_thread(what)
        }
    }
}

// SAFETY: every access and the drop check that they happen on the thread that made the wrapper.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for Send.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        self.check(WRONG_THREAD_USE);
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check(WRONG_THREAD_USE);
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    #[track_caller]
    fn drop(&mut self) {
        if !mem::needs_drop::<T>() || self.valid() {
            // SAFETY: dropped once, here, on its own thread.
            unsafe { ManuallyDrop::drop(&mut self.data) }
        } else if !std::thread::panicking() {
            wrong_thread(WRONG_THREAD_DROP)
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", self.deref())
            .finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        Self::new(self.deref().clone())
    }
}

const WRONG_THREAD_USE: &str = "a SendWrapper was used on a thread other than the one that made it";
const WRONG_THREAD_POLL: &str =
    "a SendWrapper was polled on a thread other than the one that made it";
const WRONG_THREAD_DROP: &str =
    "a SendWrapper was dropped on a thread other than the one that made it";

#[cold]
#[inline(never)]
#[track_caller]
fn wrong_thread(what: &'static str) -> ! {
    panic!("{what}")
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;
    use std::thread;

    #[test]
    fn the_owning_thread_uses_and_takes_the_value() {
        let w = SendWrapper::new(Rc::new(42));
        assert!(w.valid());
        assert_eq!(**w, 42);
        let copy = w.clone();
        assert_eq!(*w.take(), 42);
        assert_eq!(**copy, 42);
    }

    #[test]
    fn a_wrapper_moves_to_another_thread_and_back() {
        let w = SendWrapper::new(Rc::new(7));
        let back = thread::spawn(move || {
            assert!(!w.valid());
            w
        })
        .join()
        .unwrap();
        assert_eq!(**back, 7);
    }

    #[test]
    fn another_thread_cannot_read_or_drop_it() {
        let read = SendWrapper::new(Rc::new(1));
        assert!(thread::spawn(move || **read).join().is_err());
        let dropped = SendWrapper::new(Rc::new(2));
        assert!(thread::spawn(move || drop(dropped)).join().is_err());
    }

    #[test]
    fn values_without_drop_glue_may_be_dropped_anywhere() {
        let w = SendWrapper::new(5u8);
        assert!(thread::spawn(move || drop(w)).join().is_ok());
    }
}
