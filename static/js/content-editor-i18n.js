// Chinese for the article editor's dialogs. django-prose-editor asks
// window.gettext for its words and ships no Chinese catalogue; the admin's own
// catalogue (loaded before this file) answers what it knows, this the rest.
(function () {
  "use strict";
  if (!(document.documentElement.lang || "").toLowerCase().startsWith("zh")) return;
  const zh = {
    // The toolbar's buttons (their titles and aria-labels; content-editor.js asks for them).
    "Code": "代码",
    "Code block": "代码块",
    "Insert table": "插入表格",
    "Merge cells": "合并单元格",
    "Split cell": "拆分单元格",
    "blockquote": "引用",
    "bold": "加粗",
    "edit HTML": "编辑 HTML",
    "figure": "插图",
    "horizontal rule": "分隔线",
    "insert link": "插入链接",
    "italic": "斜体",
    "ordered list": "编号列表",
    "paragraph": "正文段落",
    "redo": "重做",
    "remove link": "删除链接",
    "strike": "删除线",
    "subscript": "下标",
    "superscript": "上标",
    "underline": "下划线",
    "undo": "撤销",
    "unordered list": "圆点列表",
    "heading 2": "二级标题",
    "heading 3": "三级标题",
    "heading 4": "四级标题",
    "Add caption": "添加图片说明",
    "Alternative Text": "替代文本（必填，说明图片内容）",
    "Browse...": "浏览……",
    "Bullets": "圆点",
    "Cancel": "取消",
    "Caption": "图片说明",
    "Columns": "列数",
    "Decimal numbers": "数字",
    "Edit Figure": "编辑插图",
    "Edit HTML": "编辑 HTML",
    "Edit Image": "编辑图片",
    "Edit Link": "编辑链接",
    "Image URL": "图片地址（在“图片”中复制“详情”地址）",
    "Include header row": "包含表头行",
    "Insert Figure": "插入插图",
    "Insert Table": "插入表格",
    "Insert": "插入",
    "List properties": "列表属性",
    "List type": "列表类型",
    "Lowercase Roman numerals": "小写罗马数字",
    "Lowercase letters": "小写字母",
    "Open in new window": "在新窗口打开",
    "Prettify": "整理格式",
    "Remove caption": "删除图片说明",
    "Rows": "行数",
    "Start at": "起始编号",
    "Table Properties": "表格属性",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "正文的 HTML。只能使用编辑器允许的标签，保存时还会再清理一次。",
    "Title": "标题",
    "Toggle fullscreen": "全屏",
    "URL": "网址",
    "Update": "更新",
    "Uppercase Roman numerals": "大写罗马数字",
    "Uppercase letters": "大写字母",
  };
  const known = window.gettext;
  window.gettext = function (text) {
    return Object.prototype.hasOwnProperty.call(zh, text) ? zh[text] : known ? known(text) : text;
  };
})();
