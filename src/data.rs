//! Loading and changing data: the console's one way to load ([`LocalResource`]) and one way
//! to change ([`Action`]). Both mirror Leptos's own (`leptos::prelude::LocalResource` and
//! `Action::new_local`): the same names, the same meanings, a subset of the methods.
//!
//! Why not Leptos's: measured on this console, Leptos's `LocalResource` and `Action` in
//! place of these, every page unchanged, cost far over the 3 KB we allow a primitive (the
//! figure is in docs/size-log.md). These are built from the signals the console already
//! carries, and most of their code is shared: futures are boxed once, and every resource
//! keeps its value in a signal of one type.
//!
//! Where they differ from Leptos's:
//! - No `<Suspense>`/`<Transition>`: a page matches on [`LocalResource::get`] itself, `None`
//!   being the first load. A reload keeps the last value until the new one arrives, as
//!   `<Transition>` shows it.
//! - A reload started while another is in flight supersedes it: only the newest answer lands,
//!   so a change's reload is never dropped or overwritten by an older answer.
//! - An action's output is read with `with_value` (tracked) or `with_value_untracked`, not
//!   through a `value()` signal: outputs are kept type-erased, like resources' values.
//! - No `input()` or abort handle on actions; a page's requests are aborted when the page is
//!   left (the API client's page scope). An answer that comes after its component is gone
//!   is dropped: a step of a page that goes while its request runs (the request goes on)
//!   drops it too, so a step holds its ways out while it waits.
//! - Values are `Send + Sync`, as the console's signals are (`new_local` refers to the
//!   futures, which need not be `Send`).

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;

/// A boxed future: one driver for every resource and action.
type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// An action's function, boxed once, taking its input type-erased: the stored value and
/// `dispatch` are then one type for every action, whatever its input.
type Run = Box<dyn Fn(&dyn Any) -> Boxed<Loaded>>;

/// A loaded value of any type. Every resource keeps its value in a signal of this one
/// type, so the signal code is in the wasm once rather than once per resource type.
type Loaded = Arc<dyn Any + Send + Sync>;

/// Data loaded once when created, and again whenever a signal read by its fetcher changes
/// or [`refetch`](Self::refetch) is called.
pub struct LocalResource<T> {
    value: RwSignal<Option<Loaded>>,
    refetches: RwSignal<u32>,
    of: PhantomData<fn() -> T>,
}

impl<T> Clone for LocalResource<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for LocalResource<T> {}

impl<T: Send + Sync + 'static> LocalResource<T> {
    /// Starts loading at once. Signals the fetcher reads before its future starts (an
    /// action's `version()`, say) are tracked: a change to one loads again.
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new(None);
        let refetches = RwSignal::new(0u32);
        let latest = StoredValue::new(0u32);
        effect(move || {
            refetches.track();
            let future = fetcher();
            let ticket = latest.get_value().wrapping_add(1);
            latest.set_value(ticket);
            let loading: Boxed<Loaded> = Box::pin(async move { Arc::new(future.await) as Loaded });
            land(loading, move |answer| {
                // An older load's answer is dropped: only the newest one is shown.
                if latest.try_get_value() == Some(ticket) {
                    value.try_set(Some(answer));
                }
            });
        });
        LocalResource {
            value,
            refetches,
            of: PhantomData,
        }
    }

    /// The last answer, `None` until the first one arrives (tracked).
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.with(|v| v.cloned())
    }

    /// Applies `f` to the last answer, `None` until the first one arrives (tracked).
    pub fn with<U>(&self, f: impl FnOnce(Option<&T>) -> U) -> U {
        self.value
            .with(|v| f(v.as_deref().and_then(|v| v.downcast_ref::<T>())))
    }

    /// Loads again.
    pub fn refetch(&self) {
        self.refetches.update(|n| *n += 1);
    }
}

/// Runs `future` in the browser's event loop, then hands its output to `done`. The task
/// handed to the executor is always the same type, so its code is in the wasm once.
fn land<T: 'static>(future: Boxed<T>, done: impl FnOnce(T) + 'static) {
    let task: Boxed<()> = Box::pin(async move { done(future.await) });
    leptos::task::spawn_local(task);
}

/// A change the user asks for: dispatched with its input, pending meanwhile, its output
/// kept and counted by `version`.
///
/// The output is kept type-erased, as a resource's value is, so that the signal and task
/// code is in the wasm once for all actions, not once per output type; it is read through
/// [`with_value`](Self::with_value) rather than a signal of its own type.
pub struct Action<I: 'static, O: 'static> {
    value: RwSignal<Option<Loaded>>,
    version: RwSignal<u32>,
    in_flight: RwSignal<u32>,
    run: StoredValue<Run, LocalStorage>,
    of: PhantomData<fn(I) -> O>,
}

impl<I: 'static, O: 'static> Clone for Action<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<I: 'static, O: 'static> Copy for Action<I, O> {}

impl<I: 'static, O: Send + Sync + 'static> Action<I, O> {
    /// An action running `action_fn` on each dispatch, in this thread (futures need not be
    /// `Send`).
    pub fn new_local<F, Fu>(action_fn: F) -> Self
    where
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = O> + 'static,
    {
        let run: Run = Box::new(move |input| {
            // `dispatch` hands over an `I`, so the downcast always succeeds.
            let future = input.downcast_ref::<I>().map(&action_fn);
            Box::pin(async move {
                match future {
                    Some(future) => Arc::new(future.await) as Loaded,
                    None => Arc::new(()) as Loaded,
                }
            })
        });
        Action {
            value: RwSignal::new(None),
            version: RwSignal::new(0),
            in_flight: RwSignal::new(0),
            run: StoredValue::new_local(run),
            of: PhantomData,
        }
    }

    /// Runs the action with `input`.
    pub fn dispatch(&self, input: I) {
        run_action(self.run, &input, self.value, self.version, self.in_flight);
    }

    /// Whether a dispatch is still running (tracked).
    pub fn pending(&self) -> Signal<bool> {
        any_in_flight(self.in_flight)
    }

    /// Applies `f` to the last output, `None` before the first (tracked).
    pub fn with_value<U>(&self, f: impl FnOnce(Option<&O>) -> U) -> U {
        self.outputs().with_value(f)
    }

    /// Like [`with_value`](Self::with_value), untracked: for an effect that follows
    /// `version` alone.
    pub fn with_value_untracked<U>(&self, f: impl FnOnce(Option<&O>) -> U) -> U {
        self.outputs().with_value_untracked(f)
    }

    /// How many dispatches have finished (tracked): read it in a resource's fetcher to load
    /// again after each change.
    pub fn version(&self) -> RwSignal<u32> {
        self.version
    }

    /// The outputs alone, without the input's type: what code that only watches answers
    /// takes, so that it is in the wasm once per output type.
    pub fn outputs(&self) -> Outputs<O> {
        Outputs {
            value: self.value,
            version: self.version,
            of: PhantomData,
        }
    }
}

/// An [`Action`]'s outputs and their count.
pub struct Outputs<O> {
    value: RwSignal<Option<Loaded>>,
    version: RwSignal<u32>,
    of: PhantomData<fn() -> O>,
}

impl<O> Clone for Outputs<O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<O> Copy for Outputs<O> {}

impl<O: 'static> Outputs<O> {
    /// Applies `f` to the last output, `None` before the first (tracked).
    pub fn with_value<U>(&self, f: impl FnOnce(Option<&O>) -> U) -> U {
        self.value
            .with(|v| f(v.as_deref().and_then(|v| v.downcast_ref::<O>())))
    }

    /// Like [`with_value`](Self::with_value), untracked.
    pub fn with_value_untracked<U>(&self, f: impl FnOnce(Option<&O>) -> U) -> U {
        self.value
            .with_untracked(|v| f(v.as_deref().and_then(|v| v.downcast_ref::<O>())))
    }

    /// How many outputs there have been (tracked).
    pub fn version(&self) -> RwSignal<u32> {
        self.version
    }
}

/// Starts an action's run with its input (one copy for every action).
fn run_action(
    run: StoredValue<Run, LocalStorage>,
    input: &dyn Any,
    value: RwSignal<Option<Loaded>>,
    version: RwSignal<u32>,
    in_flight: RwSignal<u32>,
) {
    if let Some(future) = run.try_with_value(|run| run(input)) {
        keep_output(future, value, version, in_flight);
    }
}

/// Whether any run counted by `in_flight` is under way (one copy for every action).
fn any_in_flight(in_flight: RwSignal<u32>) -> Signal<bool> {
    Signal::derive(move || in_flight.get() > 0)
}

/// Runs an action's future, then keeps its output and counts it (one copy for every
/// action).
fn keep_output(
    future: Boxed<Loaded>,
    value: RwSignal<Option<Loaded>>,
    version: RwSignal<u32>,
    in_flight: RwSignal<u32>,
) {
    in_flight.update(|n| *n += 1);
    land(future, move |output| {
        // The page may be gone; then nobody is waiting.
        if value.try_set(Some(output)).is_none() {
            version.try_update(|n| *n += 1);
        }
        in_flight.try_update(|n| *n -= 1);
    });
}

/// Runs `f` now, and again whenever a signal it reads changes. Every effect of the console
/// goes through this one `Effect` type: each closure type given to `Effect::new` would get
/// its own copy of the effect machinery.
pub fn effect(f: impl Fn() + 'static) {
    let f: Box<dyn Fn()> = Box::new(f);
    leptos::prelude::Effect::new(move |_| f());
}

/// A small enum whose values [`Choice`] can keep: `ALL` lists every value once.
pub trait Choices: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in any fixed order.
    const ALL: &'static [Self];
}

/// A signal holding which of a few states a page is in (sign-in's step, sign-up's stage),
/// read and written as the enum itself but kept as the value's place in [`Choices::ALL`].
/// Leptos compiles a signal's code once per value type; every `Choice` shares the `u32`
/// signal's, which the console has already (docs/size-log.md).
pub struct Choice<E> {
    index: RwSignal<u32>,
    of: PhantomData<fn() -> E>,
}

impl<E> Clone for Choice<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for Choice<E> {}

impl<E: Choices> Choice<E> {
    /// A signal holding `value`.
    pub fn new(value: E) -> Self {
        Choice {
            index: RwSignal::new(Self::index_of(value)),
            of: PhantomData,
        }
    }

    fn index_of(value: E) -> u32 {
        E::ALL.iter().position(|v| *v == value).unwrap_or(0) as u32
    }

    fn value_at(index: u32) -> E {
        E::ALL.get(index as usize).copied().unwrap_or(E::ALL[0])
    }

    /// The value, tracked.
    pub fn get(&self) -> E {
        Self::value_at(self.index.get())
    }

    /// The value, untracked.
    pub fn get_untracked(&self) -> E {
        Self::value_at(self.index.get_untracked())
    }

    /// Sets the value (a page that is gone ignores it).
    pub fn set(&self, value: E) {
        self.index.try_set(Self::index_of(value));
    }
}
