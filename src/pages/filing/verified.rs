//! A signed-in person's verified identity in a filing form: put into the draft as soon as it
//! is known (`VerifiedIdentity::apply_to`, the rule the intake applies again on receipt), and
//! the fields it fills shown as verified, not editable (`TextField`'s `verified`).

use kaifang_core::filing::Filing;
use leptos::prelude::*;

/// Keeps the verified identity in `draft`; answers whether the person's name and ID number
/// are both verified (then both are locked). `wrap`/`unwrap` move between the form's type and `Filing`.
pub fn keep_verified<T>(draft: RwSignal<T>, wrap: fn(T) -> Filing, unwrap: fn(Filing) -> Option<T>) -> Signal<bool>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let me = crate::signin::use_sign_in();
    Effect::new(move |_| {
        let Some(identity) = me.0.with(|s| s.identity().cloned()) else { return };
        let current = draft.get_untracked();
        let mut f = wrap(current.clone());
        identity.apply_to(&mut f);
        if let Some(next) = unwrap(f) {
            if next != current {
                draft.set(next);
            }
        }
    });
    Signal::derive(move || me.0.with(|s| s.identity().is_some_and(|i| i.name.is_some() && i.id_number.is_some())))
}
