//! The person block of an objection, error report or data request: name, contact, and
//! (optionally) an identity document.

use super::widgets::{bound, opt, Bound, FieldErrors, SelectField, TextField};
use crate::i18n::use_i18n;
use kaifang_core::filing::check::IdDocument;
use kaifang_core::filing::forms::Person;
use leptos::prelude::*;

/// The validator's paths for one person block.
pub struct PersonPaths {
    pub contact: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub id_kind: &'static str,
    pub id_number: &'static str,
    pub id_description: &'static str,
}

pub const REQUESTER: PersonPaths = PersonPaths {
    contact: "requester.contact",
    name: "requester.name",
    phone: "requester.contact.phone",
    email: "requester.contact.email",
    id_kind: "requester.id_document.kind",
    id_number: "requester.id_document.number",
    id_description: "requester.id_document.description",
};

pub const REPORTER: PersonPaths = PersonPaths {
    contact: "reporter.contact",
    name: "reporter.name",
    phone: "reporter.contact.phone",
    email: "reporter.contact.email",
    id_kind: "reporter.id_document.kind",
    id_number: "reporter.id_document.number",
    id_description: "reporter.id_document.description",
};

pub const ID_KINDS: [(&str, &str); 3] =
    [("resident_id", "filing.id.resident_id"), ("uscc", "filing.id.uscc"), ("other", "filing.id.other")];

/// The person inside a form's draft: read out of it, and changed in place.
#[derive(Clone, Copy)]
pub struct PersonOf {
    get: Signal<Person>,
    update: Callback<Box<dyn FnOnce(&mut Person) + Send + Sync>>,
}

impl PersonOf {
    /// The person `read` and `write` reach in `draft` (the same field, twice: once shared).
    pub fn in_draft<D: Send + Sync + 'static>(
        draft: RwSignal<D>,
        read: fn(&D) -> &Person,
        write: fn(&mut D) -> &mut Person,
    ) -> PersonOf {
        PersonOf {
            get: Signal::derive(move || draft.with(|d| read(d).clone())),
            update: Callback::new(move |f: Box<dyn FnOnce(&mut Person) + Send + Sync>| draft.update(|d| f(write(d)))),
        }
    }

    /// Reads the person (tracked), as a draft's signal reads (so `bound!` binds to it).
    pub fn with<R>(&self, f: impl FnOnce(&Person) -> R) -> R {
        self.get.with(f)
    }

    /// Changes the person in place.
    pub fn update(&self, f: impl FnOnce(&mut Person) + Send + Sync + 'static) {
        self.update.run(Box::new(f));
    }

    /// A text of the identity document, blank without one (`read` and `write` reach the same
    /// place).
    fn id_text(self, read: fn(&IdDocument) -> String, write: fn(&mut IdDocument, String)) -> Bound {
        Bound {
            value: Signal::derive(move || self.with(|p| p.id_document.as_ref().map(read).unwrap_or_default())),
            set: Callback::new(move |v: String| {
                self.update(move |p| {
                    if let Some(d) = p.id_document.as_mut() {
                        write(d, v);
                    }
                })
            }),
        }
    }
}

#[component]
pub fn PersonFields(
    paths: PersonPaths,
    person: PersonOf,
    /// Whether an identity document is asked for (optional on these forms).
    #[prop(optional)]
    with_id: bool,
    /// The name and ID number come from a signed-in person's verified identity: locked.
    #[prop(optional)]
    verified: Option<Signal<bool>>,
) -> impl IntoView {
    let t = use_i18n();
    let verified = verified.unwrap_or_else(|| Signal::derive(|| false));
    let has_id = Signal::derive(move || person.with(|p| p.id_document.is_some()));
    let id_fields = with_id.then(|| {
        view! {
            <div class="check">
                <input type="checkbox" id=format!("{}-give-id", super::widgets::dom_id(paths.id_kind)) prop:checked=move || has_id.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        person.update(move |p| p.id_document = if on { Some(IdDocument::default()) } else { None });
                    }/>
                <label for=format!("{}-give-id", super::widgets::dom_id(paths.id_kind))>{t.tr("filing.person.give_id")}</label>
            </div>
            <Show when=move || has_id.get()>
                <SelectField path=paths.id_kind label="filing.id.kind" options=ID_KINDS.to_vec()
                    bind=person.id_text(|d| d.kind.clone(), |d, v| d.kind = v)/>
                <TextField path=paths.id_number label="filing.id.number" hint="filing.id.number_hint" verified=verified
                    bind=person.id_text(|d| d.number.clone(), |d, v| d.number = v)/>
                <Show when=move || person.with(|p| p.id_document.as_ref().is_some_and(|d| d.kind == "other"))>
                    <TextField path=paths.id_description label="filing.id.description"
                        bind=person.id_text(|d| d.description.clone().unwrap_or_default(), |d, v| d.description = opt(v))/>
                </Show>
            </Show>
        }
    });
    view! {
        <fieldset class="person">
            <legend>{t.tr("filing.person.legend")}</legend>
            <TextField path=paths.name label="filing.person.name" autocomplete="name" verified=verified
                bind=bound!(person, |p| p.name)/>
            <p class="hint">{t.tr("filing.contact_hint")}</p>
            <TextField path=paths.phone label="filing.person.phone" input_type="tel" optional=true autocomplete="tel"
                bind=bound!(person, |p| p.contact.phone, opt)/>
            <TextField path=paths.email label="filing.person.email" input_type="email" optional=true autocomplete="email"
                bind=bound!(person, |p| p.contact.email, opt)/>
            <FieldErrors path=paths.contact exact=true/>
            {id_fields}
        </fieldset>
    }
}
