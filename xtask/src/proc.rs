//! Running commands with the project's tools on PATH, and finding the repository root.

use std::path::PathBuf;
use std::process::{Command, Stdio};

pub type Result<T> = std::result::Result<T, String>;

pub fn root() -> PathBuf {
    // xtask/Cargo.toml sits one level below the workspace root.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent").to_path_buf()
}

/// A command in the repository root with the tools folder first on PATH.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", crate::tools::path_with_tools());
    c
}

/// Runs to completion, streaming output; an error names the command.
pub fn run(c: &mut Command) -> Result<()> {
    let shown = format!("{c:?}");
    eprintln!("+ {}", shorten(&shown));
    let status = c.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", shorten(&shown)))
    }
}

/// True when `program args` runs and prints something containing `needle`.
pub fn prints(program: &str, args: &[&str], needle: &str) -> bool {
    Command::new(program)
        .args(args)
        .env("PATH", crate::tools::path_with_tools())
        .stderr(Stdio::null())
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(needle))
        .unwrap_or(false)
}

fn shorten(s: &str) -> String {
    // Debug output of Command includes the PATH we set; keep the log readable.
    match s.find("\"PATH\"") {
        Some(_) => s.split_whitespace().filter(|w| !w.starts_with("PATH=")).collect::<Vec<_>>().join(" "),
        None => s.to_string(),
    }
}

/// A child process killed (and reaped) when dropped.
pub struct Guard(pub std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a server that prints `… http://ADDR…` on its first line of stdout; the process
/// (stopped when dropped) and ADDR (`127.0.0.1:PORT`).
pub fn start_server(c: &mut Command) -> Result<(Guard, String)> {
    use std::io::BufRead;
    let mut child = c.stdout(Stdio::piped()).spawn().map_err(|e| format!("starting {c:?}: {e}"))?;
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().expect("piped")).read_line(&mut first).map_err(|e| e.to_string())?;
    let guard = Guard(child);
    let addr = first.split("http://").nth(1).map(|a| a.trim().trim_end_matches('/').to_string());
    Ok((guard, addr.ok_or_else(|| format!("the server did not start: {first:?}"))?))
}
