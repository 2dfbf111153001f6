// The article editor (django-prose-editor, Tiptap). Loaded as a module from
// static files; no inline script, no injected <style> element, so it runs
// under a Content-Security-Policy of script-src 'self'; style-src 'self'.
import {
  Editor, Document, Paragraph, Text, HardBreak, Heading, Bold, Italic, Underline, Strike,
  Subscript, Superscript, BulletList, OrderedList, ListItem, Blockquote, HorizontalRule, Link,
  Table, TableRow, TableHeader, TableCell, Figure, Image, Caption, History, Menu, Dropcursor,
  Gapcursor, HTML, NoSpellCheck,
} from "../django_prose_editor/editor.js";

const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

// The library writes its toolbar's titles in English without asking gettext;
// put them through it (content-editor-i18n.js knows the Chinese words).
function translateToolbar(root) {
  const gettext = window.gettext || ((text) => text);
  for (const button of root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
    for (const name of ["title", "aria-label"]) {
      const text = button.getAttribute(name);
      if (text) button.setAttribute(name, gettext(text));
    }
  }
}

function start(textarea) {
  if (textarea.closest(".prose-editor")) return;
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    content: textarea.value,
    extensions: [
      Document, Paragraph, Text, HardBreak, History, Dropcursor, Gapcursor, NoSpellCheck,
      Menu, HTML,
      Heading.configure({ levels: [2, 3, 4] }),
      Bold, Italic, Underline, Strike, Subscript, Superscript,
      BulletList, OrderedList, ListItem, Blockquote, HorizontalRule,
      Link.configure({ openOnClick: false, protocols: ["http", "https", "mailto", "tel"] }),
      Table, TableRow, TableHeader, TableCell,
      Figure, Image, Caption,
    ],
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  // Tiptap builds the menubar when it emits "create", a tick after the constructor.
  editor.on("create", () => translateToolbar(wrapper));
}

function startAll(root) {
  for (const textarea of root.querySelectorAll("textarea[data-content-editor]")) {
    if (!textarea.id.includes("__prefix__")) start(textarea);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => startAll(document));
} else {
  startAll(document);
}
