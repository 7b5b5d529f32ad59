//! A global allocator that asks Linux for transparent huge pages on large allocations.
//!
//! Queries read the hierarchy's search graphs, the unpacking memo and the network's arcs at
//! random over hundreds of megabytes; with 4 KiB pages nearly every such read also misses
//! the TLB and walks the page tables. Most distributions set transparent huge pages to
//! `madvise`, so a process gets 2 MiB pages only where it asks for them: this allocator
//! aligns allocations of at least [`THRESHOLD`] to 2 MiB and marks them `MADV_HUGEPAGE`
//! before their first touch. Smaller allocations, and every allocation off Linux, go to the
//! system allocator unchanged. Measured on 2 cores, alternating builds: world query p50
//! 49.4 → 46.5 µs (mean of three seeds), `caravan route Kashgar Tashkent` 0.72 → 0.47 s
//! (a page fault per 2 MiB instead of per 4 KiB), resident memory +~120 MB.

use std::alloc::{GlobalAlloc, Layout, System};

/// Allocations this large or larger get huge pages.
const THRESHOLD: usize = 4 << 20;
/// The x86-64 and aarch64 huge page size.
const HUGE: usize = 2 << 20;

pub struct HugePages;

impl HugePages {
    fn layout(l: Layout) -> Layout {
        if l.size() >= THRESHOLD {
            // Only the alignment grows, to a power of two; the size is unchanged.
            Layout::from_size_align(l.size(), l.align().max(HUGE)).unwrap_or(l)
        } else {
            l
        }
    }

    fn advise(p: *mut u8, l: Layout) {
        #[cfg(target_os = "linux")]
        if !p.is_null() && l.size() >= THRESHOLD {
            // SAFETY: `p` starts a live allocation of `l.size()` bytes; the advice changes
            // how its pages are backed, never their contents. Failure is harmless.
            unsafe { libc::madvise(p.cast(), l.size(), libc::MADV_HUGEPAGE) };
        }
        #[cfg(not(target_os = "linux"))]
        let _ = (p, l);
    }
}

// SAFETY: every block is allocated and freed by `System` with the same (possibly more
// aligned) layout, which `layout` derives from the caller's layout alone.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let l = Self::layout(l);
        let p = System.alloc(l);
        Self::advise(p, l);
        p
    }

    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let l = Self::layout(l);
        let p = System.alloc_zeroed(l);
        Self::advise(p, l);
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, Self::layout(l))
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        if l.size() < THRESHOLD && new_size < THRESHOLD {
            return System.realloc(p, l, new_size);
        }
        // Crossing or above the threshold: move to a block with the right alignment.
        let new = Layout::from_size_align_unchecked(new_size, l.align());
        let q = self.alloc(new);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
            self.dealloc(p, l);
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Growing across the threshold and shrinking back keeps the contents, and large
    /// blocks come back aligned to a huge page.
    #[test]
    fn realloc_across_the_threshold_keeps_contents() {
        let a = HugePages;
        let small = Layout::from_size_align(1 << 20, 8).unwrap();
        // SAFETY: each pointer is used within its layout and freed with it.
        unsafe {
            let p = a.alloc(small);
            assert!(!p.is_null());
            for i in 0..small.size() {
                *p.add(i) = (i % 251) as u8;
            }
            let big = 8 << 20;
            let q = a.realloc(p, small, big);
            assert!(!q.is_null());
            assert_eq!(q as usize % HUGE, 0, "a large block is huge-page aligned");
            assert!((0..small.size()).all(|i| *q.add(i) == (i % 251) as u8));
            let big_layout = Layout::from_size_align(big, 8).unwrap();
            let r = a.realloc(q, big_layout, 1000);
            assert!((0..1000).all(|i| *r.add(i) == (i % 251) as u8));
            a.dealloc(r, Layout::from_size_align(1000, 8).unwrap());
            let z = a.alloc_zeroed(big_layout);
            assert!((0..big).step_by(4096).all(|i| *z.add(i) == 0));
            a.dealloc(z, big_layout);
        }
    }
}
