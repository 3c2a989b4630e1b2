//! PostgreSQL for the intake's tests (the intake issue fills this in).

use crate::proc::Result;

pub fn ensure_installed() -> Result<()> {
    Ok(())
}
