//! `gigalixir-sim`: runs the simulator from the command line.

use std::io::Write;
use std::process::ExitCode;

use gigalixir_sim::config::{parse_args, Command, USAGE};
use gigalixir_sim::Sim;

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("gigalixir-sim: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("gigalixir-sim: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&config.addr).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("gigalixir-sim: cannot listen on {}: {e}", config.addr);
                return ExitCode::FAILURE;
            }
        };
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(e) => {
                eprintln!("gigalixir-sim: cannot read the bound address: {e}");
                return ExitCode::FAILURE;
            }
        };
        let sim = match Sim::open(config, addr) {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("gigalixir-sim: {e}");
                return ExitCode::FAILURE;
            }
        };
        if !addr.ip().is_loopback() {
            eprintln!(
                "gigalixir-sim: warning: listening on {addr}, which other machines can reach. \
                 The simulator is a development tool: its accounts and keys are not protected \
                 like a real service's{}.",
                if sim.test_controls_on() {
                    ", and with --test-controls anyone who reaches it can sign in as any account"
                } else {
                    ""
                }
            );
        }
        // Scripts read the port from this exact first line, so print and flush it first.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "gigalixir-sim listening on http://{addr}");
        let _ = stdout.flush();
        let _ = write!(stdout, "\n{}\n  Press Ctrl-C to stop.\n", sim.banner());
        let _ = stdout.flush();
        drop(stdout);
        tokio::select! {
            _ = sim.run(listener) => ExitCode::SUCCESS,
            _ = shutdown_signal() => ExitCode::SUCCESS,
        }
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
