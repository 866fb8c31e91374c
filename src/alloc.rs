//! The wasm heap: blocks of power-of-two sizes, one free list per size.
//!
//! std's allocator for wasm (dlmalloc) is 5 KB of code, more than a page's worth of the
//! console. The console's heap is small (a couple of MiB at most) and made of the same few
//! shapes over and over (signals, strings, view nodes), which a free list per power of two
//! serves well: a freed block is taken again by the next request of its size class. The cost
//! is up to half of each block left unused, and freed blocks serving only their own class;
//! neither matters at this heap's size. The browser is single-threaded, so there is no lock.

/// Bytes in a wasm page, the unit memory grows by.
const PAGE: usize = 65_536;
/// Pages to grow by at least, so that memory (and the JS views over it) changes rarely.
const GROW_PAGES: usize = 4;
/// The smallest block: a free block holds the address of the next one.
const MIN_CLASS: u32 = usize::BITS.trailing_zeros() - 3;

/// The heap's state: a free list per class and the untouched region at the end of memory.
pub struct Heap {
    /// The first free block of each class (size `1 << class`), 0 when there is none.
    free: [usize; usize::BITS as usize],
    /// Where fresh blocks are cut from.
    next: usize,
    /// The end of memory as the heap last grew it.
    end: usize,
}

impl Heap {
    /// An empty heap; it takes memory on the first request.
    pub const fn new() -> Self {
        Heap {
            free: [0; usize::BITS as usize],
            next: 0,
            end: 0,
        }
    }

    /// The class (log2 of the block size) that serves `size` bytes aligned to `align`.
    fn class(size: usize, align: usize) -> Option<u32> {
        let size = size.max(align).checked_next_power_of_two()?;
        Some(size.trailing_zeros().max(MIN_CLASS))
    }

    /// A block of at least `size` bytes aligned to `align`, or 0 when memory cannot grow.
    /// `grow(pages)` adds pages to memory and returns the old size in pages, `None` on failure.
    ///
    /// # Safety
    /// `grow` must hand out memory nothing else uses, starting where its previous grow ended.
    pub unsafe fn alloc(
        &mut self,
        size: usize,
        align: usize,
        mut grow: impl FnMut(usize) -> Option<usize>,
    ) -> usize {
        let Some(class) = Self::class(size, align) else {
            return 0;
        };
        let head = self.free[class as usize];
        if head != 0 {
            // SAFETY: a block on a free list is ours, unused, and starts with the next one's address.
            self.free[class as usize] = unsafe { *(head as *const usize) };
            return head;
        }
        let block = 1usize << class;
        // Blocks are aligned to their own size, so any block of a class serves any request the
        // class serves. The gap before an aligned start is handed to the smaller classes.
        loop {
            let Some(start) = self.next.checked_next_multiple_of(block) else {
                return 0;
            };
            if self
                .end
                .checked_sub(start)
                .is_some_and(|room| room >= block)
            {
                break;
            }
            let pages = block.div_ceil(PAGE).max(GROW_PAGES);
            let Some(old) = grow(pages).and_then(|old| old.checked_mul(PAGE)) else {
                return 0;
            };
            if old != self.end {
                // The first request, or memory that grew elsewhere: cut from the new pages.
                self.next = old;
            }
            // A full 4 GiB wasm32 memory wraps this to 0; the next turn then finds no room,
            // cannot grow, and refuses.
            self.end = old.wrapping_add(pages * PAGE);
        }
        while !self.next.is_multiple_of(block) {
            // The lowest set bit never steps past the next multiple of a larger power of two.
            let piece = 1usize << self.next.trailing_zeros();
            // SAFETY: the piece lies between `next` and `end`, which no block uses yet.
            unsafe { self.push(self.next, piece.trailing_zeros()) };
            self.next += piece;
        }
        let start = self.next;
        self.next += block;
        start
    }

    /// Takes back a block that `alloc` gave for the same `size` and `align`.
    ///
    /// # Safety
    /// `ptr` must come from `alloc` with the same size and align, and not be used again.
    pub unsafe fn dealloc(&mut self, ptr: usize, size: usize, align: usize) {
        if let Some(class) = Self::class(size, align) {
            // SAFETY: the caller gives the block back; it is at least a word long.
            unsafe { self.push(ptr, class) };
        }
    }

    /// Whether a block for `old` bytes also serves `new` bytes at the same alignment.
    pub fn fits(old: usize, new: usize, align: usize) -> bool {
        Self::class(old, align) == Self::class(new, align)
    }

    /// Puts a block on its class's free list.
    ///
    /// # Safety
    /// The block must be unused memory of the heap's, `1 << class` bytes long.
    unsafe fn push(&mut self, block: usize, class: u32) {
        if class < MIN_CLASS {
            // Too small to hold a link (only gaps can be): left unused.
            return;
        }
        // SAFETY: the block is ours and at least a word long.
        unsafe { *(block as *mut usize) = self.free[class as usize] };
        self.free[class as usize] = block;
    }
}

#[cfg(target_arch = "wasm32")]
mod global {
    use super::Heap;
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    /// The console's allocator, over the one wasm memory.
    struct Allocator(UnsafeCell<Heap>);

    // SAFETY: the console's wasm runs on the browser's one thread (no atomics, no workers).
    unsafe impl Sync for Allocator {}

    #[global_allocator]
    static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Heap::new()));

    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let grow = |pages| match core::arch::wasm32::memory_grow(0, pages) {
                usize::MAX => None,
                old => Some(old),
            };
            // SAFETY: one thread, and an allocation never re-enters the allocator.
            let heap = unsafe { &mut *self.0.get() };
            // SAFETY: only this allocator grows the memory.
            unsafe { heap.alloc(layout.size(), layout.align(), grow) as *mut u8 }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as in alloc; the caller returns a block of this layout.
            unsafe { (*self.0.get()).dealloc(ptr as usize, layout.size(), layout.align()) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if Heap::fits(layout.size(), new_size, layout.align()) {
                return ptr;
            }
            // SAFETY: the caller's contract for realloc is the one for alloc, copy and dealloc.
            unsafe {
                let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !new.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Heap, GROW_PAGES as GROW, PAGE};
    use std::alloc::{alloc_zeroed, Layout};

    /// Memory standing in for wasm's: a page-aligned region handed out page by page, reported
    /// as wasm reports it (the old size in pages, counting from address 0).
    struct Memory {
        base: usize,
        pages: usize,
        limit: usize,
    }

    impl Memory {
        fn new(limit: usize) -> Self {
            let layout = Layout::from_size_align(limit * PAGE, PAGE).unwrap();
            // SAFETY: a non-zero size; the region is leaked, as wasm memory never shrinks.
            let base = unsafe { alloc_zeroed(layout) } as usize;
            assert_ne!(base, 0);
            Memory {
                base,
                pages: 0,
                limit,
            }
        }

        fn grow(&mut self, pages: usize) -> Option<usize> {
            if self.pages + pages > self.limit {
                return None;
            }
            let old = self.base / PAGE + self.pages;
            self.pages += pages;
            Some(old)
        }

        fn contains(&self, start: usize, len: usize) -> bool {
            start >= self.base && start + len <= self.base + self.pages * PAGE
        }
    }

    /// A seeded xorshift, so a failure is reproducible.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_keep_their_bytes() {
        let mut memory = Memory::new(512);
        let mut heap = Heap::new();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // (address, size, align, fill byte) of each live block.
        let mut live: Vec<(usize, usize, usize, u8)> = Vec::new();
        for step in 0..50_000 {
            if live.is_empty() || rng.below(2) == 0 {
                // Mostly small, like signals and strings; sometimes pages long.
                let size = match rng.below(10) {
                    0 => 1 + rng.below(200_000),
                    1..=3 => 1 + rng.below(2_000),
                    _ => 1 + rng.below(64),
                };
                let align = 1 << rng.below(7);
                // SAFETY: `grow` hands out only the test's own memory, in order.
                let at = unsafe { heap.alloc(size, align, |p| memory.grow(p)) };
                assert_ne!(at, 0, "step {step}: out of memory");
                assert_eq!(at % align, 0, "step {step}: misaligned");
                assert!(memory.contains(at, size), "step {step}: outside memory");
                for &(other, len, ..) in &live {
                    assert!(
                        at + size <= other || other + len <= at,
                        "step {step}: overlap"
                    );
                }
                let fill = (step % 251) as u8;
                // SAFETY: the block is ours and `size` bytes long.
                unsafe { std::ptr::write_bytes(at as *mut u8, fill, size) };
                live.push((at, size, align, fill));
            } else {
                let (at, size, align, fill) = live.swap_remove(rng.below(live.len()));
                // SAFETY: the block is ours and `size` bytes long.
                let bytes = unsafe { std::slice::from_raw_parts(at as *const u8, size) };
                assert!(bytes.iter().all(|&b| b == fill), "step {step}: clobbered");
                // SAFETY: freed once, with the layout it was made with.
                unsafe { heap.dealloc(at, size, align) };
            }
        }
    }

    #[test]
    fn a_freed_block_serves_the_next_request_of_its_size() {
        let mut memory = Memory::new(64);
        let mut heap = Heap::new();
        // SAFETY: as above, throughout.
        unsafe {
            let first = heap.alloc(100, 8, |p| memory.grow(p));
            heap.dealloc(first, 100, 8);
            assert_eq!(heap.alloc(120, 4, |p| memory.grow(p)), first);
            let grown = memory.pages;
            for _ in 0..10_000 {
                let a = heap.alloc(3_000, 8, |p| memory.grow(p));
                heap.dealloc(a, 3_000, 8);
            }
            assert_eq!(memory.pages, grown, "reused blocks, grew no more");
        }
    }

    #[test]
    fn a_block_serves_any_new_size_of_its_class() {
        assert!(Heap::fits(65, 128, 8));
        assert!(Heap::fits(128, 100, 1));
        assert!(!Heap::fits(128, 129, 8));
        assert!(Heap::fits(8, 64, 64));
        assert!(Heap::fits(1, 8, 1));
    }

    #[test]
    fn memory_that_cannot_grow_is_a_null_block_not_a_panic() {
        let mut memory = Memory::new(GROW);
        let mut heap = Heap::new();
        // SAFETY: as above.
        unsafe {
            assert_ne!(heap.alloc(16, 8, |p| memory.grow(p)), 0);
            assert_eq!(heap.alloc(GROW * PAGE, 8, |p| memory.grow(p)), 0);
            assert_eq!(heap.alloc(usize::MAX / 2, 8, |p| memory.grow(p)), 0);
            assert_eq!(heap.alloc(usize::MAX, 1, |p| memory.grow(p)), 0);
            // The heap still works after refusing.
            assert_ne!(heap.alloc(16, 8, |p| memory.grow(p)), 0);
        }
    }
}
