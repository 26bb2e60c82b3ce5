//! Work split over threads. Every parallel stage cuts its input into contiguous
//! runs, one per thread, and gets the results back in input order, so nothing
//! lifeboat computes depends on the number of threads (tests/threads.rs).

/// How many threads each parallel stage uses: `LIFEBOAT_THREADS` if set to a
/// positive number (to share a CI machine, or to compare), else every core.
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("LIFEBOAT_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// `f` over contiguous runs of `items`, at most one per thread and each of at
/// least `min_run` items, results in the order of the runs. Few items run on the
/// calling thread, as one run (also when `items` is empty).
pub fn runs<T: Sync, R: Send>(items: &[T], min_run: usize, f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    runs_on(threads(), items, min_run, f)
}

/// [`runs`] on `threads` threads.
pub fn runs_on<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    min_run: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let per_run = items.len().div_ceil(threads.max(1)).max(min_run).max(1);
    if items.len() <= per_run {
        return vec![f(items)];
    }
    std::thread::scope(|scope| {
        let f = &f;
        // A run whose thread cannot be started runs on this one.
        let started: Vec<Result<_, &[T]>> = items
            .chunks(per_run)
            .map(|run| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || f(run))
                    .map_err(|_| run)
            })
            .collect();
        started
            .into_iter()
            .map(|s| match s {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(run) => f(run),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_every_item_in_order() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2, 3, 7, 2000] {
            for min_run in [1, 10, 600, 5000] {
                let got: Vec<usize> = runs_on(threads, &items, min_run, |r| r.to_vec())
                    .into_iter()
                    .flatten()
                    .collect();
                assert_eq!(got, items, "{threads} threads, runs of {min_run}");
                let n = runs_on(threads, &items, min_run, <[usize]>::len).len();
                assert!(n <= threads.max(1), "{n} runs on {threads} threads");
            }
        }
        assert_eq!(runs_on(4, &[] as &[u8], 1, <[u8]>::len), vec![0]);
    }
}
