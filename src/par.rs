//! Work split over threads. Every parallel stage cuts its input into contiguous
//! runs, one per thread, and gets the results back in input order, so nothing
//! lifeboat computes depends on the number of threads (tests/threads.rs).

/// How many threads each parallel stage uses: `LIFEBOAT_THREADS` if set to a
/// positive number (to share a CI machine, or to compare), else every core.
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        thread_count(
            std::env::var("LIFEBOAT_THREADS").ok().as_deref(),
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        )
    })
}

/// The thread count `LIFEBOAT_THREADS=setting` asks for, else `cores`.
fn thread_count(setting: Option<&str>, cores: usize) -> usize {
    setting
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(cores)
}

/// `f` over contiguous runs of `items`, at most one per thread, results in the
/// order of the runs. Runs are of equal length (the last may be shorter), and that
/// length is at least `min_run`: `items` of at most `min_run` run on the calling
/// thread, as one run (also when `items` is empty).
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
        // (threads, min_run) -> the run lengths expected.
        let cases: [(usize, usize, &[usize]); 8] = [
            (1, 1, &[1000]),
            (2, 1, &[500, 500]),
            (3, 10, &[334, 334, 332]),
            (7, 1, &[143, 143, 143, 143, 143, 143, 142]),
            (7, 600, &[600, 400]),
            (2, 1000, &[1000]),
            (2, 5000, &[1000]),
            (2000, 1, &[1; 1000]),
        ];
        for (threads, min_run, lengths) in cases {
            let runs = runs_on(threads, &items, min_run, |r| r.to_vec());
            let got: Vec<usize> = runs.iter().map(Vec::len).collect();
            assert_eq!(
                got, lengths,
                "{threads} threads, runs of at least {min_run}"
            );
            let all: Vec<usize> = runs.into_iter().flatten().collect();
            assert_eq!(all, items, "{threads} threads, runs of at least {min_run}");
        }
        assert_eq!(runs_on(4, &[] as &[u8], 1, <[u8]>::len), vec![0]);
    }

    #[test]
    fn the_thread_count_setting() {
        assert_eq!(thread_count(None, 8), 8);
        assert_eq!(thread_count(Some("3"), 8), 3);
        assert_eq!(thread_count(Some(" 1 "), 8), 1);
        for ignored in ["0", "-2", "many", ""] {
            assert_eq!(thread_count(Some(ignored), 8), 8, "{ignored:?}");
        }
    }
}
