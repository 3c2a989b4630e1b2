//! Form widgets shared by the four filing forms. Each field is bound to a stable path
//! (`applicant.name`) — the same paths the core validator reports — so the messages the
//! server would send appear under the field as the person types, in their language.

use crate::i18n::{use_i18n, Lang};
use kaifang_core::filing::FieldError;
use leptos::prelude::*;
use std::collections::HashSet;

/// A field's text, and what typing in it does to the form's draft.
#[derive(Clone, Copy)]
pub struct Bound {
    pub value: Signal<String>,
    pub set: Callback<String>,
}

/// Binds a field to one place in a form's draft (an `RwSignal`): `bound!(draft, |r| r.title)`
/// for a `String`; `bound!(draft, |r| r.phone, opt)` for an `Option<String>`, shown blank
/// when None and kept as the given `String -> Option<String>` makes the typed text.
macro_rules! bound {
    ($draft:expr, |$d:ident| $place:expr) => {
        $crate::pages::filing::widgets::Bound {
            value: Signal::derive(move || $draft.with(|$d| $place.clone())),
            set: Callback::new(move |v: String| $draft.update(|$d| $place = v)),
        }
    };
    ($draft:expr, |$d:ident| $place:expr, $keep:expr) => {
        $crate::pages::filing::widgets::Bound {
            value: Signal::derive(move || $draft.with(|$d| $place.clone().unwrap_or_default())),
            set: Callback::new(move |v: String| $draft.update(|$d| $place = $keep(v))),
        }
    };
}
pub(crate) use bound;

/// What every widget of one form shares: the validator's current verdict and which
/// fields the person has touched (messages show for those, or for all after "submit").
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub errors: Memo<Vec<FieldError>>,
    pub touched: RwSignal<HashSet<String>>,
    pub show_all: RwSignal<bool>,
}

impl FormCtx {
    pub fn new(errors: Memo<Vec<FieldError>>) -> FormCtx {
        FormCtx { errors, touched: RwSignal::new(HashSet::new()), show_all: RwSignal::new(false) }
    }

    pub fn touch(&self, path: &str) {
        if !self.touched.with_untracked(|t| t.contains(path)) {
            self.touched.update(|t| {
                t.insert(path.to_string());
            });
        }
    }

    /// Messages for `path` and the paths below it (`scope.rows` shows `scope.rows[3]`'s).
    pub fn messages(&self, path: &str, lang: Lang) -> Vec<String> {
        self.messages_of(path, lang, false)
    }

    /// With `exact`, only the messages of `path` itself (a group whose fields show their own).
    pub fn messages_of(&self, path: &str, lang: Lang, exact: bool) -> Vec<String> {
        let visible = self.show_all.get() || self.touched.with(|t| t.contains(path));
        if !visible {
            return vec![];
        }
        self.errors.with(|errs| {
            errs.iter()
                .filter(|e| {
                    e.path == path
                        || (!exact
                            && (e.path.starts_with(&format!("{path}[")) || e.path.starts_with(&format!("{path}."))))
                })
                .map(|e| if lang == Lang::Zh { e.zh.clone() } else { e.en.clone() })
                .collect()
        })
    }
}

pub fn use_form() -> FormCtx {
    expect_context::<FormCtx>()
}

/// An optional text field's value for the draft: an empty box is no value.
pub fn opt(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

pub fn dom_id(path: &str) -> String {
    format!("f-{}", path.replace(['.', '[', ']'], "-"))
}

/// The error list under a field (also used for groups of fields).
#[component]
pub fn FieldErrors(path: &'static str, #[prop(optional)] exact: bool) -> impl IntoView {
    let t = use_i18n();
    let form = use_form();
    let id = format!("{}-err", dom_id(path));
    view! {
        <div id=id class="field-errors" aria-live="polite">
            {move || form.messages_of(path, t.lang(), exact).into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
        </div>
    }
}

fn described(path: &str, hint: bool) -> String {
    let base = dom_id(path);
    if hint {
        format!("{base}-hint {base}-err")
    } else {
        format!("{base}-err")
    }
}

#[component]
pub fn TextField(
    path: &'static str,
    label: &'static str,
    bind: Bound,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Filled from the verified identity of a signed-in person: shown, not editable.
    #[prop(optional)]
    verified: Option<Signal<bool>>,
) -> impl IntoView {
    let Bound { value, set } = bind;
    let t = use_i18n();
    let form = use_form();
    let id = dom_id(path);
    let locked = move || verified.is_some_and(|v| v.get());
    let invalid = move || (!form.messages(path, t.lang()).is_empty()).to_string();
    let on_input = move |ev: leptos::ev::Event| {
        set.run(event_target_value(&ev));
        form.touch(path);
    };
    let on_blur = move |_| form.touch(path);
    let control = if multiline {
        view! {
            <textarea id=id.clone() name=path rows="4" aria-invalid=invalid aria-describedby=described(path, hint.is_some())
                prop:value=move || value.get() on:input=on_input on:blur=on_blur></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=path type=input_type.unwrap_or("text") aria-invalid=invalid
                aria-describedby=described(path, hint.is_some()) autocomplete=autocomplete.unwrap_or("off")
                prop:readOnly=locked aria-readonly=move || locked().then_some("true")
                prop:value=move || value.get() on:input=on_input on:blur=on_blur/>
        }
        .into_any()
    };
    view! {
        <div class="form-field">
            <label for=id.clone()>{t.tr(label)}{(!optional).then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
                {move || locked().then(|| view! { " " <span class="badge verified" data-testid="verified">{t.tr("filing.verified.badge")}</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{}-hint", id)>{t.tr(h)}</p> })}
            {control}
            <FieldErrors path=path/>
        </div>
    }
}

#[component]
pub fn SelectField(
    path: &'static str,
    label: &'static str,
    /// (value, message key of its label)
    options: Vec<(&'static str, &'static str)>,
    bind: Bound,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let Bound { value, set } = bind;
    let t = use_i18n();
    let form = use_form();
    let id = dom_id(path);
    let invalid = move || (!form.messages(path, t.lang()).is_empty()).to_string();
    view! {
        <div class="form-field">
            <label for=id.clone()>{t.tr(label)}<span class="required" aria-hidden="true">" *"</span></label>
            {hint.map(|h| view! { <p class="hint" id=format!("{}-hint", id)>{t.tr(h)}</p> })}
            <select id=id.clone() name=path aria-invalid=invalid aria-describedby=described(path, hint.is_some())
                prop:value=move || value.get()
                on:change=move |ev| { set.run(event_target_value(&ev)); form.touch(path); }
                on:blur=move |_| form.touch(path)>
                <option value="">{t.tr("filing.choose")}</option>
                {options.into_iter().map(|(v, k)| view! {
                    <option value=v selected=move || value.get() == v>{t.tr(k)}</option>
                }).collect_view()}
            </select>
            <FieldErrors path=path/>
        </div>
    }
}

/// One checkbox; `label` is a message key, or `label_text` plain text (e.g. a field name).
#[component]
pub fn CheckField(
    path: &'static str,
    id: String,
    value: Signal<bool>,
    set: Callback<bool>,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] label_text: Option<String>,
) -> impl IntoView {
    let t = use_i18n();
    let form = use_form();
    view! {
        <div class="check">
            <input type="checkbox" id=id.clone() prop:checked=move || value.get()
                on:change=move |ev| { set.run(event_target_checked(&ev)); form.touch(path); }/>
            <label for=id>{move || label.map(|k| t.get(k)).or_else(|| label_text.clone()).unwrap_or_default()}</label>
        </div>
    }
}

/// A declaration or acknowledgement shown as the text a person signs, with the box that
/// signs it. The text is part of the form, not a link away.
#[component]
pub fn Declaration(
    path: &'static str,
    title: &'static str,
    text: &'static str,
    accept: &'static str,
    value: Signal<bool>,
    set: Callback<bool>,
) -> impl IntoView {
    let t = use_i18n();
    let id = dom_id(path);
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <section class="declaration" aria-labelledby=labelled_by>
            // h2: the fieldset's legend is not a heading, so after the page's h1 an h3 skipped a level.
            <h2 id=title_id>{t.tr(title)}</h2>
            <div class="declaration-text">
                {move || t.get(text).split('\n').map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
            </div>
            <CheckField path=path id=id value=value set=set label=accept/>
            <FieldErrors path=path/>
        </section>
    }
}

/// The summary at the top after a failed "submit": every problem, each a link to its field.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let t = use_i18n();
    let form = use_form();
    move || {
        if !form.show_all.get() {
            return None;
        }
        let errs = form.errors.get();
        if errs.is_empty() {
            return None;
        }
        let lang = t.lang();
        Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>{t.tr("filing.errors_title")}</h2>
                <ul>
                    {errs.into_iter().map(|e| {
                        let msg = if lang == Lang::Zh { e.zh.clone() } else { e.en.clone() };
                        let target = dom_id(&field_path(&e.path));
                        let href = format!("#{target}");
                        // Focus the field in place: a hash link would go through the router.
                        view! { <li><a href=href on:click=move |ev| { ev.prevent_default(); focus_id(&target); }>{msg}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The input a nested error path belongs to: `users[2]` → `users`, `datasets[0].id` → `datasets`.
pub fn field_path(path: &str) -> String {
    match path.find('[') {
        Some(i) => path[..i].to_string(),
        None => path.to_string(),
    }
}

/// Focuses the element with `id`, or the first control inside it.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(el) =
        document().get_element_by_id(id).or_else(|| document().query_selector(&format!("[id^='{id}']")).ok().flatten())
    else {
        return;
    };
    if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = h.focus();
    }
}

/// Moves focus to the error summary (keyboard and screen-reader users land on it).
pub fn focus_summary() {
    let _ = request_animation_frame(|| {
        if let Some(el) = document().get_element_by_id("error-summary") {
            use wasm_bindgen::JsCast;
            if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        }
    });
}
