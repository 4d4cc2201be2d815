//! A parser worker on its own (the `attest` binary runs the same as `attest parse-worker`): the
//! server's tests start this one.

fn main() -> std::process::ExitCode {
    attest_server::parse_worker_main()
}
