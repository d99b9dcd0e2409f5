// The browser code's interface strings, in the page's language. base.html embeds the catalog
// (msgid -> translation, plural forms as lists) built from the same gettext catalogs as the pages;
// outside a page (node tests) every message stays in English.
let catalog = null;

function strings() {
  if (catalog === null) {
    const node = typeof document === "undefined" ? null : document.getElementById("ui-strings");
    try {
      catalog = node ? JSON.parse(node.textContent) : {};
    } catch {
      catalog = {};
    }
  }
  return catalog;
}

function fill(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The translation of `message`, with `%(name)s` placeholders filled from `values`. */
export function _(message, values = {}) {
  const found = strings()[message];
  return fill(typeof found === "string" && found ? found : message, values);
}

/** The plural form for `n` (CLDR rules of the page language); `%(num)d` is n. */
export function ngettext(singular, plural, n, values = {}) {
  const all = { num: n, ...values };
  const forms = strings()[singular];
  if (!Array.isArray(forms) || !forms.length) return fill(n === 1 ? singular : plural, all);
  const tags = strings()["\u0000plural-tags"] || ["one", "other"];
  const lang = typeof document === "undefined" ? "en" : document.documentElement.lang || "en";
  let index = tags.indexOf(new Intl.PluralRules(lang).select(n));
  if (index < 0 || index >= forms.length) index = forms.length - 1;
  return fill(forms[index] || (n === 1 ? singular : plural), all);
}
