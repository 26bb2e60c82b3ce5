// mimalloc instead of the system allocator: lifeboat makes millions of small
// allocations (spanned parse trees, estimates, rendered blocks), and glibc's
// malloc made it a third slower at 10,000 assets (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lifeboat::cli::main()
}
