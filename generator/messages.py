"""The catalogue of problem codes: severity, a Chinese message and its English gloss.

Codes are stable and never reused: other tools, tests and the published error-code reference
depend on them. A message says what is wrong with the value quoted, which rule it breaks, and
exactly what to write instead — written for a transfer-office clerk, not a programmer.
Templates use `{name}` placeholders filled from a Problem's params; `{field}` is always there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from generator.problems import Problem, Severity


@dataclass(frozen=True, slots=True)
class Message:
    code: str
    severity: Severity
    group: str
    zh: str
    en: str


CATALOGUE: dict[str, Message] = {}

E, W = Severity.ERROR, Severity.WARNING


def _define(code: str, severity: Severity, group: str, zh: str, en: str) -> None:
    if code in CATALOGUE:
        raise ValueError(f"problem code {code!r} defined twice")
    CATALOGUE[code] = Message(code, severity, group, zh, en)


GROUPS = {
    "file": "文件与编码 Files and encoding",
    "yaml": "YAML 语法 YAML syntax",
    "schema": "字段与取值 Fields and values",
    "layout": "文件位置与编号 Layout and ids",
    "reference": "引用 References",
    "notice": "公示期与公示内容 Notice periods and content",
    "achievement": "成果与赋权 Achievements and grants",
    "money": "金额与奖励 Money and rewards",
    "content": "正文与附件 Text and attachments",
    "changes": "变更审查 Changes against the published record",
}

# --- files and encoding -------------------------------------------------------------------
_define(
    "file-unreadable",
    E,
    "file",
    "无法读取文件：{reason}。请确认文件存在且有读取权限。",
    "The file cannot be read: {reason}. Check that it exists and is readable.",
)
_define(
    "file-too-large",
    E,
    "file",
    "文件大小 {size} 字节，超过上限 {limit} 字节。记录文件只写文字；大文件请作为附件放在 attachments/ 下。",
    "The file is {size} bytes, over the {limit}-byte limit. Records hold text only; put large files "
    "under attachments/.",
)
_define(
    "file-binary",
    E,
    "file",
    "文件含有空字符（第 {offset} 字节），不是文本文件。请用文本编辑器重新保存为 UTF-8 编码的 .yml 文件。",
    "The file contains a NUL byte (at byte {offset}); it is not text. Save it again as a UTF-8 .yml file.",
)
_define(
    "file-gbk",
    E,
    "file",
    "文件是 GBK/GB18030 编码（Windows 中文版编辑器的默认编码）。请在编辑器中选择“另存为”，编码选“UTF-8”后保存。",
    "The file is encoded in GBK/GB18030 (the default of Chinese Windows editors). Use 'Save as' and "
    "choose the UTF-8 encoding.",
)
_define(
    "file-utf16",
    E,
    "file",
    "文件是 UTF-16 编码（记事本“另存为”时编码选了“Unicode”）。请在编辑器中选择“另存为”，编码选“UTF-8”后保存。",
    "The file is encoded in UTF-16 (Notepad's 'Unicode'). Use 'Save as' and choose the UTF-8 encoding.",
)
_define(
    "file-not-utf8",
    E,
    "file",
    "文件不是 UTF-8 编码（第 {offset} 字节无法识别）。请在编辑器中另存为 UTF-8 编码。",
    "The file is not UTF-8 (byte {offset} is invalid). Save it again with the UTF-8 encoding.",
)
_define(
    "file-control-character",
    E,
    "file",
    "文件含有不允许的控制字符 {character}。请删除该字符（常见于从网页或 Word 复制的文字），再保存。",
    "The file contains the control character {character}, which YAML does not allow. Delete it "
    "(it often comes from text copied out of web pages or Word).",
)
_define(
    "text-control-character",
    E,
    "file",
    "{field} 含有不允许的控制字符 {character}（由双引号中的转义写法写出，例如 \\x02 或 \\u0002）。"
    "这种字符在网页、订阅和日历中无法显示，请删除这段转义。",
    "{field} contains the control character {character}, written as an escape inside double quotes "
    "(such as \\x02 or \\u0002). Pages, feeds and calendars cannot show it: delete the escape.",
)
_define(
    "file-empty",
    E,
    "file",
    "文件是空的。请按发布指南填写记录，或删除此文件。",
    "The file is empty. Fill in the record as the publishing guide shows, or delete the file.",
)
_define(
    "file-extension",
    E,
    "layout",
    "记录文件的扩展名必须是 .yml（而不是 {extension}）。请将文件改名为 {suggestion}。",
    "Record files must end in .yml, not {extension}. Rename the file to {suggestion}.",
)
_define(
    "file-no-extension",
    E,
    "layout",
    "这个文件没有扩展名，不会被当作记录读取。记录文件必须以 .yml 结尾：请将文件改名为 {suggestion}。",
    "This file has no extension, so it is not read as a record. Record files end in .yml: rename "
    "it to {suggestion}.",
)
_define(
    "folder-misnamed",
    E,
    "layout",
    "文件夹 {folder} 不会被读取，里面的记录都不会发布。记录只从 notices/、achievements/、institutions/、policies/ 读取：请把它改名为 {meant}/（或把其中的文件移到 {meant}/ 下）。",
    "Folder {folder} is not read: no record in it is published. Records are read only from notices/, "
    "achievements/, institutions/ and policies/: rename it to {meant}/ (or move its files there).",
)
_define(
    "record-in-wrong-folder",
    E,
    "layout",
    "这个文件写的是一份{what}，却放在了别的记录的文件夹里。请把它移到 {target}。",
    "This file holds {what_en} but sits in another kind of record's folder. Move it to {target}.",
)
_define(
    "file-misplaced",
    E,
    "layout",
    "此处不应有记录文件。{expected}{move}",
    "A record file does not belong here. {expected_en}{move_en}",
)
_define(
    "file-symlink",
    E,
    "file",
    "不允许使用符号链接（此文件指向 {target}）。请放入真实文件。",
    "Symbolic links are not allowed (this one points to {target}). Put the real file here instead.",
)

# --- YAML syntax ----------------------------------------------------------------------------
_define(
    "yaml-syntax",
    E,
    "yaml",
    "YAML 格式有误：{detail_zh}。出错的行是“{text}”。请检查冒号后是否有空格、缩进是否对齐、引号和括号是否成对。",
    "YAML syntax error: {detail}, in the line '{text}'. Check the space after each colon, the "
    "indentation and that quotes and brackets are paired.",
)
_define(
    "yaml-tab",
    E,
    "yaml",
    "此行用了 Tab 制表符缩进。YAML 只允许空格：请把行首的 Tab 换成两个空格。",
    "This line is indented with a tab. YAML allows spaces only: replace the tab with two spaces.",
)
_define(
    "yaml-colon-in-value",
    E,
    "yaml",
    '此行的值里含有“: ”（冒号加空格），YAML 会把它当成新的字段。请给整个值加上双引号，例如 title: "……: ……"。',
    "The value on this line contains ': ' which YAML reads as a new key. Put the whole value in "
    "double quotes.",
)
_define(
    "yaml-key-colon",
    E,
    "yaml",
    "字段名 {key} 后面应是英文冒号加一个空格，这里写成了“{written}”。请改为“{key}: ”再写值（{why}）。",
    "The key {key} must be followed by an ASCII colon and a space, but it is written '{written}'. "
    "Write '{key}: ' before the value ({why_en}).",
)
_define(
    "yaml-stray-line",
    E,
    "yaml",
    "YAML 读不懂这一行：“{text}”。它不是“字段名: 值”的形式。{fix}",
    "YAML cannot read this line: '{text}'. It is not a 'key: value' line. {fix_en}",
)
_define(
    "markdown-lines-joined",
    E,
    "yaml",
    "{field} 写了多行，但冒号后没有“|”：YAML 会把这些行连成一行，网页上的列表和表格会乱掉，汉字之间还会多出空格。"
    "请把这一行写成“{field}: |”，正文从下一行开始{quotes}，每行行首缩进两个空格。",
    "{field} is written over several lines without '|' after the colon: YAML joins the lines into "
    "one, and the page loses its lists and tables and gets spaces between Chinese characters. "
    "Write '{field}: |' on this line, and the text on the lines below it{quotes_en}, each "
    "indented by two spaces.",
)
_define(
    "yaml-full-width-space",
    E,
    "yaml",
    "这一行用了全角空格“　”（中文输入法下的空格）：“{text}”。YAML 只认半角空格：请删去全角空格，行首用半角空格与上下行对齐，冒号后留一个半角空格。",
    "This line has a full-width space (from a Chinese input method): '{text}'. YAML needs ordinary "
    "spaces: delete it, indent the line with ordinary spaces like the lines around it, and leave one "
    "ordinary space after the colon.",
)
_define(
    "yaml-unclosed-quote",
    E,
    "yaml",
    "这一行的值以英文引号 {quote} 开始，但在这一行里没有配对的 {quote}，YAML 会一直读到下面某行的引号。请在值的末尾补上 {quote}，或删去开头的 {quote}。",
    "The value on this line opens with the quote {quote} but the line does not close it, so YAML "
    "reads on to a quote lines below. Add {quote} at the end of the value, or remove the opening {quote}.",
)
_define(
    "yaml-unclosed-quote-chinese",
    E,
    "yaml",
    "这一行的值以英文引号 {quote} 开始，却以中文引号 {ending} 结束，YAML 不认中文引号。请把行末的 {ending} 改为英文引号 {quote}。",
    "The value on this line opens with the quote {quote} but ends with the Chinese quote '{ending}', "
    "which YAML does not read as a quote. Replace the last '{ending}' with {quote}.",
)
_define(
    "yaml-full-width-bracket",
    E,
    "yaml",
    "这一行用了全角括号（｛ ｝ 或 ［ ］）：“{text}”。YAML 只认半角括号。请写成：{fix}",
    "This line uses full-width brackets (｛ ｝ or ［ ］): '{text}'. YAML needs ASCII brackets. Write: {fix}",
)
_define(
    "yaml-dash-space",
    E,
    "yaml",
    "列表项的减号“-”后面要有一个空格。请写成：{fix}",
    "A list item's dash needs a space after it. Write: {fix}",
)
_define(
    "yaml-flow-chinese-comma",
    E,
    "yaml",
    "花括号或方括号里的各项要用英文逗号“,”分隔，这里用了中文逗号“，”。请写成：{fix}",
    "The items inside {{ }} or [ ] are separated by an English comma, not the Chinese '，'. Write: {fix}",
)
_define(
    "yaml-needs-quotes",
    E,
    "yaml",
    "值“{value}”以 {first} 开头，YAML 会把它当作特殊符号，读不出这个值。请给它加上引号，写成：{fix}",
    "The value '{value}' starts with {first}, which YAML reads as a special sign. Put it in quotes: {fix}",
)
_define(
    "yaml-indentation",
    E,
    "yaml",
    "此行的缩进与上下文不一致：“{text}”。同一层的字段要用同样多的空格左对齐，下一层的字段比上一层多缩进两个空格。{fix}",
    "This line is indented unlike its neighbours: '{text}'. Fields of one level start in the same "
    "column; the fields under a key are indented two more spaces. {fix_en}",
)
_define(
    "yaml-duplicate-key",
    E,
    "yaml",
    "字段 {key} 写了两次（第一次在第 {first_line} 行）。请删除其中一个，只保留正确的值。",
    "The key {key} appears twice (first on line {first_line}). Delete one and keep the right value.",
)
_define(
    "yaml-alias",
    E,
    "yaml",
    "记录中不允许使用 YAML 别名（*名称）。请把被引用的内容直接写出来。",
    "YAML aliases (*name) are not allowed in records. Write the value out in full.",
)
_define(
    "yaml-too-deep",
    E,
    "yaml",
    "嵌套层级超过 {limit} 层，记录格式中没有这么深的结构。请检查缩进是否多了。",
    "Nesting is deeper than {limit} levels, deeper than any record needs. Check the indentation.",
)
_define(
    "yaml-tag",
    E,
    "yaml",
    "不允许使用 YAML 标签 {tag}。请删除它，直接写值。",
    "The YAML tag {tag} is not allowed. Remove it and write the plain value.",
)
_define(
    "yaml-complex-key",
    E,
    "yaml",
    "字段名必须是简单文字，不能是列表或映射。请检查此处的冒号和缩进。",
    "A key must be plain text, not a list or mapping. Check the colons and indentation here.",
)
_define(
    "yaml-multiple-documents",
    E,
    "yaml",
    "一个文件只能写一条记录，但此处出现了第二个文档（“---”）。请把第二条记录移到单独的文件中。",
    "One file holds one record, but a second document ('---') starts here. Move it to its own file.",
)
_define(
    "yaml-not-mapping",
    E,
    "yaml",
    "文件最外层应是“字段: 值”的映射，而这里是 {kind}。请参照发布指南中的模板，以 id: 开头逐行填写字段。",
    "The top level must be a mapping of 'key: value' lines, but it is a {kind}. Start from the "
    "template in the publishing guide, beginning with 'id:'.",
)

# --- fields and values --------------------------------------------------------------------------
_define(
    "field-missing",
    E,
    "schema",
    "缺少必填字段 {field}。请添加一行 {key}: ……（{hint}）。",
    "The required field {field} is missing. Add a line '{key}: ...' ({hint_en}).",
)
_define("unknown-key", E, "schema", "未知字段 {key}。{suggestion}", "Unknown key {key}. {suggestion_en}")
_define(
    "value-not-allowed",
    E,
    "schema",
    "{field} 的值“{value}”不在允许范围内。{suggestion}请从以下取值中选一个：{allowed}。",
    "The value '{value}' of {field} is not allowed. {suggestion_en}Use one of: {allowed_en}.",
)
_define(
    "not-text",
    E,
    "schema",
    '{field} 应为文字，但写成了 {value}。请给值加上双引号，例如 {key}: "{value}"。',
    '{field} must be text, but is {value}. Put it in double quotes: {key}: "{value}".',
)
_define("text-empty", E, "schema", "{field} 不能为空。请填写内容。", "{field} must not be empty. Fill it in.")
_define(
    "not-integer",
    E,
    "schema",
    "{field} 应为整数，但写成了“{value}”。请只写阿拉伯数字，不加引号、小数点或单位。{fix}",
    "{field} must be a whole number, not '{value}'. Write digits only, without quotes, decimals or "
    "units. {fix_en}",
)
_define(
    "number-out-of-range",
    E,
    "schema",
    "{field} 应是 {min} 到 {max} 之间的整数，现为 {value}。",
    "{field} must be a whole number from {min} to {max}; it is {value}.",
)
_define(
    "not-number",
    E,
    "schema",
    "{field} 应为数字，但写成了“{value}”。请只写数字，不带单位或引号。",
    "{field} must be a number, not '{value}'. Write the number alone, without units or quotes.",
)
_define(
    "not-boolean",
    E,
    "schema",
    "{field} 只能写 true 或 false，而不是“{value}”。{fix}",
    "{field} must be true or false, not '{value}'. {fix_en}",
)
_define(
    "not-a-list",
    E,
    "schema",
    "{field} 应为列表，用英文方括号：即使只有一项，也请写成 [{value}]，或逐行以“- ”开头。",
    "{field} must be a list. Even for one item write [{value}] or lines starting with '- '.",
)
_define(
    "not-a-mapping",
    E,
    "schema",
    "{field} 应为“字段: 值”的映射，而不是“{value}”。请参照模板，在 {key}: 下一行缩进两个空格逐项填写。",
    "{field} must be a mapping of 'key: value' lines, not '{value}'. Indent its fields two spaces "
    "under '{key}:'.",
)
_define("list-too-short", E, "schema", "{field} 至少要有 {min} 项。", "{field} needs at least {min} item(s).")
_define(
    "date-invalid",
    E,
    "schema",
    "{field} 的日期“{value}”无效。{suggestion}记录中的日期一律写成 YYYY-MM-DD 格式的真实日期（不加引号），格式如 {key}: 2025-03-04。",
    "The date '{value}' of {field} is not valid. {suggestion_en}Dates in a record are real dates "
    "written YYYY-MM-DD, as in {key}: 2025-03-04.",
)
_define(
    "time-invalid",
    E,
    "schema",
    '{field} 的时间“{value}”无效。{suggestion}请写成 24 小时制的 "HH:MM"（加引号），例如 {key}: "17:00"。',
    "The time '{value}' of {field} is not valid. {suggestion_en}Write 24-hour \"HH:MM\" in quotes, "
    'e.g. "17:00".',
)
_define(
    "id-invalid",
    E,
    "schema",
    "{field} 的编号“{value}”不合规。编号只能用小写字母 a-z、数字和连字符 -，长 2 到 40 个字符，以字母或数字开头。{suggestion}",
    "The id '{value}' of {field} is not valid: use a-z, 0-9 and '-', 2 to 40 characters, starting "
    "with a letter or digit. {suggestion_en}",
)
_define(
    "money-not-integer",
    E,
    "schema",
    "{field} 的金额应为以“元”为单位的整数，不带单位和逗号。请把“{value}”改为 {key}: {suggestion}。",
    "{field} must be a whole number of yuan without units or commas. Change '{value}' to "
    "{key}: {suggestion}.",
)
_define(
    "money-unreadable",
    E,
    "schema",
    "{field} 的金额“{value}”无法识别。请写以“元”为单位的整数，例如 {key}: 1200000（即 120 万元）。",
    "The amount '{value}' of {field} cannot be read. Write a whole number of yuan, e.g. 1200000.",
)
_define(
    "money-negative",
    E,
    "schema",
    "{field} 的金额不能为负数（现为 {value}）。",
    "{field} cannot be negative (it is {value}).",
)
_define(
    "percent-out-of-range",
    E,
    "schema",
    "{field} 是百分比，应在 0 到 100 之间，现为 {value}。",
    "{field} is a percentage and must be between 0 and 100; it is {value}.",
)
_define(
    "percent-not-number",
    E,
    "schema",
    "{field} 的百分比应写成数字，不带“%”或引号。请把“{value}”改为 {key}: {suggestion}。",
    "{field} must be a number without '%' or quotes. Change '{value}' to {key}: {suggestion}.",
)
_define(
    "url-invalid",
    E,
    "schema",
    "{field} 的网址“{value}”无效。请写以 https:// 或 http:// 开头的完整网址，不带空格和中文标点。{suggestion}",
    "The address '{value}' of {field} is not valid. Write a full address starting with https:// or "
    "http://, without spaces or Chinese punctuation. {suggestion_en}",
)
_define(
    "phone-invalid",
    E,
    "schema",
    '{field} 的电话“{value}”不是电话号码。请写区号和号码，加英文引号，例如 phone: "0797-8888888"；部门或联系人写在 department、person。{suggestion}',
    "The telephone '{value}' of {field} is not a number. Write the number with its area code, in "
    'ASCII quotes, such as phone: "0797-8888888"; the department or the person go in department '
    "and person. {suggestion_en}",
)
_define(
    "phone-written",
    E,
    "schema",
    "{field} 的电话“{value}”：{suggestion}",
    "The telephone '{value}' of {field}: {suggestion_en}",
)
_define(
    "email-invalid",
    E,
    "schema",
    "{field} 的电子邮箱“{value}”格式不对。请写成 name@example.cn 的形式（不加 mailto:，用英文 @ 和 .）。{suggestion}",
    "The e-mail address '{value}' of {field} is not valid. Write it as name@example.cn (no mailto:, "
    "ASCII @ and dots). {suggestion_en}",
)
_define(
    "sha256-invalid",
    E,
    "schema",
    "{field} 应为 64 位十六进制的 SHA-256 值，现为“{value}”。可在命令行运行 sha256sum 文件名 得到。",
    "{field} must be a 64-character hexadecimal SHA-256; it is '{value}'. Run 'sha256sum FILE'.",
)
_define(
    "contact-channel-missing",
    E,
    "schema",
    "{field} 至少要写电话（phone）或电子邮箱（email）之一，便于公众联系。",
    "{field} needs a phone or an e-mail address (or both) so that the public can get in touch.",
)
_define(
    "value-invalid",
    E,
    "schema",
    "{field} 的值“{value}”无效：{detail}。",
    "The value '{value}' of {field} is not valid: {detail}.",
)
_define(
    "range-invalid",
    E,
    "schema",
    "{field} 应写成 [下限, 上限] 两个数字，且下限不大于上限，现为 {value}。",
    "{field} must be two numbers [low, high] with low ≤ high; it is {value}.",
)

# --- layout and ids -------------------------------------------------------------------------------
_define(
    "id-not-file-name",
    E,
    "layout",
    "编号 id 为“{id}”，但文件名是“{stem}.yml”。两者必须一致。{fix}",
    "The id is '{id}' but the file is '{stem}.yml'. They must match. {fix_en}",
)
_define(
    "institution-not-folder",
    E,
    "layout",
    "institution 写的是“{institution}”，但文件位于 {folder} 单位的文件夹中。{fix}",
    "institution is '{institution}' but the file is in the folder of {folder}. {fix_en}",
)
_define(
    "notice-year-folder",
    E,
    "layout",
    "公示开始于 {start}，应放在 {expected} 文件夹中，而不是 {actual}。请移动文件。",
    "The notice starts on {start}, so it belongs in {expected}, not {actual}. Move the file.",
)
_define(
    "portal-no-records",
    E,
    "layout",
    "在 {root} 中找不到任何记录文件夹（policies/、institutions/、achievements/、notices/）。请在门户仓库的根目录运行，或写明目录：portal check <目录>。",
    "No record folder (policies/, institutions/, achievements/, notices/) is in {root}. Run the "
    "check in the portal repository, or name it: portal check <folder>.",
)
_define(
    "duplicate-id",
    E,
    "layout",
    "编号 {id} 已被 {other} 使用。每条记录的编号必须唯一：{fix}",
    "The id {id} is already used by {other}. Ids are unique: {fix_en}",
)

# --- references ---------------------------------------------------------------------------------
_define(
    "unknown-policy",
    E,
    "reference",
    "找不到政策“{value}”。已有的政策：{known}。",
    "There is no policy '{value}'. Known policies: {known}.",
)
_define(
    "unknown-institution",
    E,
    "reference",
    "找不到单位“{value}”。{fix}请先在 institutions/ 下添加 {value}.yml，或使用已有单位编号：{known}。",
    "There is no institution '{value}'. {fix_en}Add institutions/{value}.yml first, or use one of: {known_en}.",
)
_define(
    "unknown-achievement",
    E,
    "reference",
    "找不到成果“{value}”。请确认编号拼写正确，且 achievements/{institution}/{value}.yml 已存在。{suggestion}",
    "There is no achievement '{value}'. Check the spelling and that "
    "achievements/{institution}/{value}.yml exists. {suggestion_en}",
)
_define(
    "unknown-notice",
    E,
    "reference",
    "找不到公示“{value}”。请确认编号拼写正确。{suggestion}",
    "There is no notice '{value}'. Check the spelling. {suggestion_en}",
)
_define(
    "achievement-other-institution",
    E,
    "reference",
    "成果 {value} 属于 {owner}，不能出现在 {institution} 的公示中。每个单位只公示本单位的成果。",
    "The achievement {value} belongs to {owner}; a notice of {institution} can only list its own "
    "achievements.",
)
_define(
    "notice-not-listing-achievement",
    W,
    "reference",
    "成果历史记录引用了公示 {notice}，但该公示的 achievements 中没有本成果 {id}。请在公示中补上，或更正历史记录。",
    "The history refers to notice {notice}, which does not list this achievement {id}. Add it "
    "there or correct the history.",
)
_define(
    "grant-during-notice",
    E,
    "reference",
    "history 记录了 {date} {event_label}（{event}），但成果的赋权公示 {notice} 到 {end} 才结束：公示期满、无异议后才能签署协议或办理权属变更。请把日期改为 {earliest} 或之后；如尚未发生，请先删去这一行。",
    "The history records {event} on {date}, but the grant's notice {notice} runs until {end}: the "
    "agreement or transfer comes after the period ends without objection. Date it {earliest} or "
    "later; if it has not happened yet, remove the line.",
)
_define(
    "grant-after-notice-stopped",
    E,
    "reference",
    "成果的赋权公示 {notice} 的结果是“{result_label}”（{outcome_date}），赋权没有通过公示，不能记录 {event_label}（{event}）。如已重新公示，新公示须在 achievements 中列出本成果，并在其公示期满后才能记录这一事件；否则请删去这一行。",
    "The grant's notice {notice} ended as {result} on {outcome_date}: the grant did not pass its "
    "notice, so {event} cannot be recorded. If the grant was noticed again, the new notice lists "
    "this achievement in its achievements, and the event comes after its period; otherwise remove "
    "the line.",
)
_define(
    "notice-missing-from-history",
    W,
    "reference",
    "公示 {notice} 已于 {start} 开始，但本成果的 history 中没有记下这次公示，页面按公示显示其阶段。"
    "请在 history 中按日期顺序添加一行：- {{date: {date}, event: noticed, notice: {notice}}}",
    "Notice {notice} began on {start}, but this achievement's history does not record it (its page "
    "takes the stage from the notice). Add to history, in date order, the line: - {{date: {date}, "
    "event: noticed, notice: {notice}}}",
)

# --- notices -------------------------------------------------------------------------------------
_define(
    "notice-period-reversed",
    E,
    "notice",
    "公示结束日期 {end} 早于开始日期 {start}。{fix}如果开始日期无误，请把 period.end 改为 {earliest_end} 或之后（{minimum} 个{unit}）。",
    "The period ends ({end}) before it starts ({start}). {fix_en}If the start is right, set "
    "period.end to {earliest_end} or later ({minimum} {unit_en}).",
)
_define(
    "notice-period-long",
    W,
    "notice",
    "公示期从 {start} 到 {end}，长达 {days} 天。公示期通常为十几天到一个月：请核对结束日期，特别是年份。",
    "The period runs from {start} to {end}, {days} days. A period is usually two weeks to a "
    "month: check the end, its year above all.",
)
_define(
    "notice-period-too-short",
    E,
    "notice",
    "公示期为 {days} 个{unit}，少于 {rule_source} 规定的 {minimum} 个{unit}。请将 period.end 改为 {earliest_end} 或之后。",
    "The notice runs {days} {unit_en}, fewer than the {minimum} {unit_en} that {rule_source} "
    "requires. Set period.end to {earliest_end} or later.",
)
_define(
    "notice-restart-too-short",
    E,
    "notice",
    "{amended_on} 的更正要求重新计算公示期（restart: true），此后公示期只有 {days} 个{unit}，少于 {minimum} 个{unit}。请将 period.end 改为 {earliest_end} 或之后。",
    "The correction of {amended_on} restarts the notice period (restart: true); after it only "
    "{days} {unit_en} remain, fewer than {minimum}. Set period.end to {earliest_end} or later.",
)
_define(
    "working-days-unknown-year",
    E,
    "notice",
    "无法按工作日计算公示期：{day} 所在年份的国务院节假日安排尚未收录（系统目前只有 {first_year}—{last_year} 年的安排）。本单位的公示期按工作日计算，这不是填写错误：国务院办公厅公布安排后，请平台维护者升级 chinesecalendar 软件包（pip install -U chinesecalendar）再发布；在此之前，只能发布在 {last_year} 年 12 月 31 日前结束的公示。",
    "Working days cannot be counted: the State Council's holiday schedule for the year of {day} is "
    "not known yet (the built-in one covers {first_year}–{last_year}). This is not a mistake in the "
    "record: once the schedule is published, the portal's maintainers upgrade the chinesecalendar "
    "package (pip install -U chinesecalendar); until then only notices ending by 31 December "
    "{last_year} can be published.",
)
_define(
    "amendment-outside-period",
    E,
    "notice",
    "更正日期 {date} 不在公示期（{start} 至 {end}）内。更正只能在公示期内作出，日期写作出更正的当天；公示结束后请记录结果（outcome），而不是更正（正文的错别字可以直接改正，不写更正记录，修改会记入修订记录）。如果这份公示是复制旧公示改的，请删去从旧公示带来的 amendments。",
    "The correction date {date} is outside the period ({start} to {end}). A correction is made "
    "during the period, dated the day it is made; after the end, record an outcome instead (a typo "
    "in the body may be mended without an amendment: the revision history shows it). If this "
    "notice was copied from an older one, remove the amendments it brought along.",
)
_define(
    "amendments-not-in-order",
    E,
    "notice",
    "更正记录应按日期从早到晚排列：{date} 排在了 {previous} 之后。",
    "Corrections go oldest first: {date} comes after {previous}.",
)
_define(
    "outcome-before-end",
    E,
    "notice",
    "结果日期 {date} 不在公示期结束（{end}）之后。公示期满后才能记录 {result}：请把 outcome.date 改为作出结果的实际日期（{earliest} 至 {today} 之间）；如需提前终止，请写 result: withdrawn。",
    "The outcome is dated {date}, not after the period ends on {end}. Record {result} after the end: "
    "set outcome.date to the day it was decided ({earliest} to {today}); to stop a notice early "
    "write result: withdrawn.",
)
_define(
    "outcome-before-start",
    E,
    "notice",
    "结果日期 {date} 早于公示开始日期 {start}。请把 outcome.date 改为作出结果的实际日期（不早于 {earliest}）。",
    "The outcome date {date} is before the notice starts ({start}). Set outcome.date to the day the "
    "outcome was decided, on or after {earliest}.",
)
_define(
    "outcome-while-open",
    E,
    "notice",
    "公示期到 {end} 才结束（今天是 {today}），现在还不能记录结果 {result}：记录了结果的公示会显示为已办结。请删除 outcome，{earliest} 或之后再添加；如需提前终止公示，请写 result: withdrawn 和撤回当天的日期。",
    "The notice runs until {end} (today is {today}), so no {result} can be recorded yet: a notice "
    "with an outcome shows as concluded. Remove the outcome and add it on {earliest} or later; to "
    "stop the notice early, write result: withdrawn with the day it was withdrawn.",
)
_define(
    "outcome-in-future",
    E,
    "notice",
    "结果日期 {date} 晚于今天（{today}）。outcome 只能记录已经作出的结果：请把 outcome.date 改为作出结果的实际日期（{earliest} 至 {today} 之间）；结果尚未作出的，请先删除 outcome。",
    "The outcome is dated {date}, after today ({today}). Record only an outcome already decided: "
    "set outcome.date to the day it was decided ({earliest} to {today}), or remove the outcome "
    "until then.",
)
_define(
    "outcome-note-missing",
    W,
    "notice",
    "公示结果为“{result_label}”，但没有写明异议的处理情况。请在 outcome 中加上 note，例如 note: 公示期内收到 1 件异议，反映……。经核查，……，已书面答复异议人。",
    "The outcome is {result}, but it does not say how the objections were handled. Add a note to "
    "outcome saying what was objected to, what was found and how the objector was answered.",
)
_define(
    "notice-closed-without-outcome",
    W,
    "notice",
    "公示已于 {end} 结束，但尚未记录结果。请添加 outcome（result: no_objection 等）及日期。",
    "The notice ended on {end} but no outcome is recorded. Add an outcome (result: no_objection "
    "or another) with its date.",
)
_define(
    "notice-deal-missing",
    E,
    "notice",
    "协议定价公示必须填写 deal（交易方式、受让方、拟交易价格等）。",
    "A negotiated-price notice needs a deal (mode, counterparty, proposed price …).",
)
_define(
    "notice-deal-not-allowed",
    E,
    "notice",
    "只有 kind: negotiated_price 的公示才填写 deal。请删除 deal，或把 kind 改为 negotiated_price。",
    "Only negotiated_price notices have a deal. Remove it or set kind: negotiated_price.",
)
_define(
    "notice-reward-missing",
    E,
    "notice",
    "奖励公示必须填写 reward（转化净收入、团队奖励总额和获奖人）。",
    "A reward notice needs a reward (net income, team total and recipients).",
)
_define(
    "notice-reward-not-allowed",
    E,
    "notice",
    "只有 kind: reward 的公示才填写 reward。请删除 reward，或把 kind 改为 reward。",
    "Only reward notices have a reward. Remove it or set kind: reward.",
)
_define(
    "deal-pricing-not-negotiated",
    E,
    "notice",
    "协议定价公示的 deal.pricing 应为 negotiated，而不是 {value}。挂牌交易或拍卖不需要协议定价公示。",
    "A negotiated-price notice has deal.pricing: negotiated, not {value}. Listed or auctioned "
    "transfers do not need this notice.",
)
_define(
    "deal-foreign-counterparty",
    W,
    "notice",
    "受让方为境外主体（{counterparty}）。向境外转让、许可技术须遵守《技术进出口管理条例》，属于限制出口的技术须先取得许可。请确认已履行相关手续。",
    "The counterparty ({counterparty}) is foreign. Transfers abroad fall under the technology "
    "import and export regulations; restricted technology needs a licence first.",
)
_define(
    "notice-grant-mode-mismatch",
    E,
    "notice",
    "{kind_label}列出了成果 {achievement}，但该成果的赋权方式是 {mode_label}。请核对公示类型或成果的 grant.mode。",
    "A {kind} notice lists {achievement}, whose grant mode is {mode}. Check the notice kind or the "
    "achievement's grant.mode.",
)
_define(
    "notice-grant-missing",
    E,
    "notice",
    "{kind_label}列出了成果 {achievement}，但该成果还没有填写 grant（赋予什么、团队占多少），公示无法写明。请在 {path} 中加入一行，例如 grant: {example}。",
    "The notice lists {achievement}, which has no grant yet (what is granted, and the team's "
    "share), so the notice cannot say it. Add a line to {path}, such as grant: {example}.",
)
_define(
    "notice-achievement-already-granted",
    W,
    "notice",
    "成果 {achievement} 已于 {granted} 完成赋权（签署协议或权属变更），本公示又将其赋权公示一次。如属重复，请从 achievements 中删去；如是新的赋权，请在成果的 history 中写明。",
    "Achievement {achievement} was granted on {granted} (agreement or transfer recorded), and this "
    "notice puts a grant of it to the public again. Remove it from achievements if that is a "
    "mistake; if it is a new grant, say so in the achievement's history.",
)
_define(
    "notice-reward-grant-first",
    E,
    "notice",
    "奖励公示只适用于“先转化后奖励”的成果，而成果 {achievement} 选择了“先赋权后转化”（incentive: grant_first）。同一成果不得重复激励。",
    "Reward notices are for transform-first achievements; {achievement} chose grant_first. One "
    "achievement gets one incentive.",
)
_define(
    "notice-negative-list",
    E,
    "notice",
    "成果 {achievement} 列入负面清单（negative_list: true），涉及国家安全、国防安全、公共安全、经济安全或社会稳定，不得赋权或公示。请从 achievements 中删除。",
    "The achievement {achievement} is on the negative list and may not be granted or noticed. "
    "Remove it from achievements.",
)
_define(
    "notice-classified",
    E,
    "notice",
    "成果 {achievement} 是涉密成果（classified: true），不得在公开平台公示。请从 achievements 中删除。",
    "The achievement {achievement} is classified and may not appear on a public portal. Remove it.",
)
_define(
    "institution-rule-weaker",
    E,
    "notice",
    "单位自定的 {field} 为 {value}，比政策 {policy} 的要求（{required}）宽松。单位规则只能更严，不能更宽：请删除此行或改为 {required}。",
    "The unit's own {field} is {value}, weaker than policy {policy} ({required}). A unit may be "
    "stricter, never weaker: remove the line or write {required}.",
)
_define(
    "notice-before-pilot",
    E,
    "notice",
    "赋权公示开始于 {start}，早于本单位获批开展试点的日期 {approved_on}：试点获批之前不能依试点赋权。请核对 period.start（不早于 {approved_on}），或核对 institutions/{institution}.yml 中的 pilot_approved_on。",
    "The grant notice starts on {start}, before the unit was approved for the pilot on {approved_on}: "
    "there is no pilot to grant under before then. Check period.start (on or after {approved_on}), "
    "or pilot_approved_on in institutions/{institution}.yml.",
)
_define(
    "notice-after-pilot",
    W,
    "notice",
    "公示开始于 {start}，已在单位试点期（至 {pilot_end}）之后。试点期内签订的协议可继续履行；新的赋权请确认仍有依据。",
    "The notice starts on {start}, after the unit's pilot ended ({pilot_end}). Agreements signed in "
    "the pilot continue; check the basis for a new grant.",
)

_define(
    "title-too-long",
    W,
    "content",
    "标题有 {length} 个字，超过 {limit} 个字：浏览器标签、订阅和搜索结果只显示开头。请只写成果名称和公示类型，细节写进正文。",
    "The title has {length} characters, more than {limit}: a browser tab, a feed reader and the "
    "search results show its beginning only. Name the achievement and the kind of notice; put "
    "the details in the text.",
)
_define(
    "title-space-between-characters",
    W,
    "content",
    "标题里两个汉字之间有空格（“{text}”），网页标题会照样显示。标题写成两行时 YAML 会把换行读成空格：请把标题写在一行里，或删去这个空格。",
    "The title has a space between two Chinese characters ('{text}'), which the page shows as it "
    "is. YAML reads a title written over two lines with a space for the line break: write the "
    "title on one line, or remove the space.",
)
_define(
    "body-period-differs",
    W,
    "content",
    "正文写的公示期是 {written_start} 至 {written_end}，与 period 记录的 {start} 至 {end} 不一致；网站按 period 计算状态和截止时间。请把正文里的日期改为与 period 一致（或改正 period）。",
    "The text states the period as {written_start} to {written_end}, but period says {start} to "
    "{end}; the site counts by period. Make the dates in the text match period (or correct period).",
)

# --- achievements ---------------------------------------------------------------------------------
_define(
    "shares-not-100",
    E,
    "achievement",
    "团队成员的分配比例合计为 {total}%，应为 100%。请调整 team 中各成员的 share。{fix}",
    "The team's shares add up to {total}%, not 100%. Adjust the members' share values.{fix_en}",
)
_define(
    "team-lead-not-one",
    E,
    "achievement",
    "团队应指定且只指定一名代表（role: lead），现在有 {count} 名。{fix}",
    "The team must name exactly one representative (role: lead); it names {count}. {fix_en}",
)
_define(
    "percent-written-as-fraction",
    E,
    "achievement",
    "{key} 写成了 {value}：这里写百分数（0 到 100），例如 70% 写 70，而不是 0.7。请改为 {key}: {percent}。",
    "{key} is written {value}: it is a percentage (0 to 100), so 70% is written 70, not 0.7. "
    "Write {key}: {percent}.",
)
_define(
    "ownership-share-below-floor",
    W,
    "achievement",
    "赋予团队的所有权比例为 {value}%，低于 {policy} “一般不低于 {floor}%” 的要求。如确有理由，请在 summary 中说明。",
    "The team's ownership share is {value}%, below the {floor}% that {policy} generally requires. "
    "Explain the reason in the summary.",
)
_define(
    "grant-team-share-missing",
    E,
    "achievement",
    "赋予所有权（mode: ownership）时须写明团队所占比例 grant.team_share，例如 team_share: 70。",
    "An ownership grant needs grant.team_share, e.g. team_share: 70.",
)
_define(
    "grant-field-not-for-mode",
    E,
    "achievement",
    "grant.{key} 只用于 {for_mode}，与 mode: {mode} 不符。请删除此行。",
    "grant.{key} belongs to {for_mode} grants, not mode: {mode}. Remove the line.",
)
_define(
    "long-term-use-years-missing",
    E,
    "achievement",
    "赋予长期使用权时须写明年限 grant.years（不少于 {minimum} 年）。",
    "A long-term use grant needs grant.years (at least {minimum}).",
)
_define(
    "long-term-use-too-short",
    E,
    "achievement",
    "长期使用权年限为 {value} 年，少于 {policy} 规定的 {minimum} 年。请改为 years: {minimum} 或更长。",
    "The use right runs {value} years, fewer than the {minimum} years {policy} requires. Write "
    "years: {minimum} or more.",
)
_define(
    "long-term-use-license-missing",
    E,
    "achievement",
    "赋予长期使用权时须写明许可方式 grant.license：ordinary（普通许可）、exclusive（排他许可）或 sole（独占许可）。",
    "A long-term use grant needs grant.license: ordinary, exclusive or sole.",
)
_define(
    "incentive-conflict",
    E,
    "achievement",
    "成果选择了“先转化后奖励”（incentive: transform_first），却又有赋权记录（grant）。同一成果不得重复激励：请二选一。",
    "The achievement chose transform_first yet has a grant. One achievement gets one incentive: choose one.",
)
_define(
    "negative-list-granted",
    E,
    "achievement",
    "列入负面清单的成果不得赋权。请删除 grant，或核实 negative_list。",
    "An achievement on the negative list may not be granted. Remove the grant or check negative_list.",
)
_define(
    "achievement-classified",
    E,
    "achievement",
    "涉密成果（classified: true）不得在公开平台发布。请删除此文件；涉密成果按保密规定另行管理。",
    "Classified achievements may not be published on a public portal. Delete this file.",
)
_define(
    "registration-number-invalid",
    E,
    "achievement",
    "{kind_label}登记号“{value}”格式不对。应写成 {pattern}，例如 {example}。",
    "The {kind} number '{value}' is not well formed. Write it as {pattern_en}, e.g. {example}.",
)
_define(
    "registration-number-full-width",
    E,
    "achievement",
    "{kind_label}登记号“{value}”里有全角字符（中文输入法打出的数字、字母或点），按半角号码搜索会找不到。请改为：{suggestion}。",
    "The {kind} number '{value}' has full-width characters (digits, letters or a dot typed with a "
    "Chinese input method), and a search for the number would not find it. Write: {suggestion}.",
)
_define(
    "patent-check-digit",
    E,
    "achievement",
    "专利申请号“{value}”的校验位应为 {expected}，而不是 {actual}：号码里有一位打错了。请对照专利证书逐位核对；"
    "如果只是校验位错了，应写成 {suggestion}。",
    "The check digit of the patent application number '{value}' should be {expected}, not "
    "{actual}: a digit is mistyped. Compare each digit with the certificate; if only the check "
    "digit is wrong, write {suggestion}.",
)
_define(
    "patent-kind-mismatch",
    E,
    "achievement",
    "专利号“{value}”的第 {position} 位 {digit} 表示{digit_label}，与 kind: {kind} 不符。请改为 kind: {expected_kind} 或核对号码。",
    "Digit {position} of '{value}' ({digit}) means {digit_label_en}, not {kind}. Write kind: "
    "{expected_kind} or check the number.",
)
_define(
    "history-not-in-order",
    E,
    "achievement",
    "历史记录应按日期从早到晚排列：{date} 排在了 {previous} 之后。",
    "History events go oldest first: {date} comes after {previous}.",
)
_define(
    "history-event-field-missing",
    E,
    "achievement",
    "{event} 事件须写明 {key}。",
    "A {event} event needs {key}.",
)
_define(
    "history-in-future",
    W,
    "achievement",
    "历史事件日期 {date} 晚于今天（{today}）。历史只记录已发生的事。",
    "The event is dated {date}, after today ({today}). History records what has happened.",
)

# --- money and rewards --------------------------------------------------------------------------
_define(
    "reward-share-out-of-range",
    E,
    "money",
    "团队奖励 {team_total} 元占转化净收入 {net_income} 元的 {share}%，不在 {policy} 规定的 {low}%—{high}% 之间。请把 team_total_yuan 调整到 {min_total} 至 {max_total} 元之间，或核对 net_income_yuan。",
    "The team reward of {team_total} yuan is {share}% of the net income of {net_income} yuan, "
    "outside the {low}–{high}% that {policy} allows. Set team_total_yuan between {min_total} and "
    "{max_total}, or check net_income_yuan.",
)
_define(
    "reward-sum-mismatch",
    E,
    "money",
    "获奖人金额合计 {sum} 元，比团队奖励总额 team_total_yuan {team_total} 元{direction} {difference} 元。"
    "请核对各获奖人的 yuan；如果各人金额无误，请把 team_total_yuan 改为 {sum}。",
    "The recipients add up to {sum} yuan, {difference} yuan {direction_en} the team total of "
    "{team_total} yuan. Check each recipient's yuan; if they are right, write team_total_yuan: {sum}.",
)
_define(
    "reward-lead-share-too-low",
    E,
    "money",
    "主要贡献人员（团队代表 {leads}）获得 {lead_total} 元，占奖励总额的 {share}%，低于 {policy} 规定的 {minimum}%：合计应不少于 {minimum_total} 元。",
    "The main contributors ({leads}) receive {lead_total} yuan, {share}% of the reward, below the "
    "{minimum}% that {policy} requires: together at least {minimum_total} yuan.",
)
_define(
    "reward-leader-approval-missing",
    E,
    "money",
    "单位正职领导 {name} 获得股权奖励，须经上级主管部门批准：请在该行写 approval: 批准部门及文号。",
    "The unit leader {name} receives equity, which needs the superior department's approval: add "
    "approval: <department and document number>.",
)
_define(
    "deal-appraised-far",
    W,
    "money",
    "拟交易价格 {price} 元低于评估价 {appraised} 元的 {ratio}%。请在正文中说明定价理由。",
    "The proposed price of {price} yuan is {ratio}% of the valuation of {appraised} yuan. Explain the "
    "pricing in the body.",
)

# --- text and attachments ---------------------------------------------------------------------------
_define(
    "markdown-raw-html",
    E,
    "content",
    "{field} 中含有 HTML 标签 {tag}。正文只能用 Markdown 排版，不能写 HTML：请删除该标签（加粗用 **文字**，链接用 [文字](https://...)）。",
    "{field} contains the HTML tag {tag}. Text is Markdown only: remove the tag (bold is **text**, "
    "a link is [text](https://...)).",
)
_define(
    "markdown-link-scheme",
    E,
    "content",
    "{field} 中的链接“{value}”不被允许。链接只能以 https://、http://、mailto: 或 tel: 开头。",
    "The link '{value}' in {field} is not allowed. Links start with https://, http://, mailto: or tel:.",
)
_define(
    "attachment-path-invalid",
    E,
    "content",
    "附件路径“{value}”无效。请写相对于 notices/{institution}/ 的路径，例如 attachments/{example}.pdf；不能以 / 开头，也不能含有“..”。",
    "The attachment path '{value}' is not valid. Write a path inside notices/{institution}/, e.g. "
    "attachments/{example}.pdf, without a leading '/' or '..'.",
)
_define(
    "attachment-missing",
    E,
    "content",
    "找不到附件文件 {path}。{fix}请把文件上传到该位置，或更正 file 路径。",
    "The attachment {path} does not exist. {fix_en}Upload it there or correct the file path.",
)
_define(
    "attachment-sha256-mismatch",
    E,
    "content",
    "附件 {path} 的实际 SHA-256 为 {actual}，与记录中的 {expected} 不一致。文件被替换过吗？如确需更新，请同时更新 sha256 并添加更正记录。",
    "The SHA-256 of {path} is {actual}, not the recorded {expected}. If the file really changed, "
    "update sha256 and add an amendment.",
)

# --- changes against the published record -----------------------------------------------------
_define(
    "started-notice-deleted",
    E,
    "changes",
    "公示 {id} 已于 {start} 开始，已经公开，不能删除。请恢复此文件，并添加 outcome: {{result: withdrawn, date: {today}, note: 撤回原因}} 将其撤回。",
    "Notice {id} started on {start} and is part of the public record: it cannot be deleted. Restore "
    "the file and withdraw it instead: outcome: {{result: withdrawn, date: {today}, note: <reason>}}.",
)
_define(
    "started-notice-renamed",
    E,
    "changes",
    "公示 {old} 已于 {start} 开始，不能改名为 {new}。请恢复原文件 {old_path} 及其编号；如需更正，请在原公示中添加更正记录（amendments）。",
    "Notice {old} started on {start}: it cannot be renamed to {new}. Restore {old_path} with its id; "
    "correct it with an amendment in the original notice.",
)
_define(
    "started-notice-changed-unamended",
    E,
    "changes",
    "公示 {id} 已经开始，修改了{what}（{field}）却没有新增更正记录。请在 amendments 末尾添加一条更正，日期在 {window_start} 至 {today} 之间，写明改了什么，例如 - {{date: {today}, summary: 更正……}}。",
    "Notice {id} has started; {field} changed without a new amendment. Add an amendment at the end of "
    "amendments, dated {window_start} to {today}, saying what changed: - {{date: {today}, summary: ...}}.",
)
_define(
    "started-notice-unreadable",
    E,
    "changes",
    "已开始的公示 {id} 的新版本在第 {line} 行有错误（{code}），读不出来，无法与已发布的版本核对。请先按 portal check 对这一行的提示改正。",
    "The new version of started notice {id} has an error on line {line} ({code}) and cannot be "
    "read, so it cannot be compared with the published one. Correct it as portal check says first.",
)
_define(
    "started-notice-start-moved",
    E,
    "changes",
    "公示 {id} 已于 {start} 开始并公开，开始日期不能再改（现在写的是 {new_start}）。请改回 start: {start}。如需延长公示，只改 period.end，并在 amendments 末尾添加一条更正。",
    "Notice {id} started on {start} and is public: its start cannot change (it now says {new_start}). "
    "Put back start: {start}. To extend the notice, change only period.end and add an amendment at "
    "the end of amendments.",
)
_define(
    "started-notice-shortened",
    E,
    "changes",
    "公示 {id} 已公开的公示期到 {end} 结束，公众在此之前都可以提出异议，不能提前结束（现在写的是 {new_end}）。请改回 end: {end}；如需提前终止公示，请写 outcome: {{result: withdrawn, date: {today}}}（撤回当天的日期）。",
    "Notice {id} was published as running until {end}, and objections may come until then: it cannot "
    "end earlier (it now says {new_end}). Put back end: {end}; to stop the notice early, write "
    "outcome: {{result: withdrawn, date: {today}}} (the day it is withdrawn).",
)
_define(
    "started-notice-closes-earlier",
    E,
    "changes",
    "公示 {id} 已公开的截止时间是 {end} {time}，公众在此之前都可以提出异议，不能提前到 {new_time}。请改回：{fix}；如需提前终止公示，请写 outcome: {{result: withdrawn, date: {today}}}（撤回当天的日期）。",
    "Notice {id} was published as closing at {time} on {end}, and objections may come until then: it "
    "cannot close at {new_time}. Put it back ({fix_en}); to stop the notice early, write "
    "outcome: {{result: withdrawn, date: {today}}} (the day it is withdrawn).",
)
_define(
    "notice-start-in-past",
    E,
    "changes",
    "公示 {id} 还没有在平台上发布过，开始日期却写的是 {start}，早于今天 {today}：公示期从发布之日起计算，不能倒签。请把 period.start 改为 {today} 或之后{end_advice}。（本单位网站上已经公示过的历史公示不作为新公示提交，请在拉取请求中说明并附原公示链接，由平台管理员处理。）",
    "Notice {id} has not been published on the portal, yet it starts on {start}, before today "
    "({today}): a notice period runs from the day it is published and cannot be backdated. Set "
    "period.start to {today} or later{end_advice_en}. (A notice already run on the unit's own "
    "website is not filed as a new one: say so in the pull request, with a link to it, for the "
    "portal's maintainers.)",
)
_define(
    "withdrawal-backdated",
    E,
    "changes",
    "公示 {id} 的撤回日期写的是 {date}，早于今天 {today}：在此之前平台一直显示该公示正在进行，撤回自发布之日起生效。请写 date: {today}。",
    "Notice {id} is withdrawn as of {date}, before today ({today}): until now the portal showed it "
    "running, and a withdrawal takes effect when it is published. Write date: {today}.",
)
_define(
    "amendment-restart-backdated",
    E,
    "changes",
    "{date} 的更正要求公示期重新计算，而重新计算的公示期从公众看到更正之日起算：更正日期应为今天 {today}（现在写的是 {date}）。请把该更正的 date 改为 {today}{end_advice}。",
    "The amendment of {date} restarts the period, which runs again from the day the public can "
    "read the correction: date it today, {today} (it says {date}). Set its date to {today}{end_advice_en}.",
)
_define(
    "amendment-restart-missing",
    E,
    "changes",
    "{date} 的更正改变了公示内容（{what}），公示期须从更正日起重新计算。请在该更正中写 restart: true，并把 period.end 改为满足最短公示期的日期。",
    "The amendment of {date} changes what the notice discloses ({what_en}): the period restarts from "
    "its date. Write restart: true in it and move period.end so the full minimum period runs again.",
)
_define(
    "amendment-restart-too-short",
    E,
    "changes",
    "{date} 的更正改变了公示内容，公示期须重新计算：从 {date} 到 {end} 只有 {days} 个{unit}，少于 {minimum} 个{unit}。请将 period.end 改为 {earliest_end} 或之后。",
    "The amendment of {date} restarts the period: {date} to {end} is {days} {unit_en}, fewer than "
    "{minimum}. Set period.end to {earliest_end} or later.",
)
_define(
    "noticed-achievement-changed-unamended",
    E,
    "changes",
    "成果 {id} 正在公示 {notice} 中公示，修改它的{what}（{field}）就是修改公示内容。请在 {notice_path} 的 amendments 末尾添加一条更正，例如 - {{date: {today}, summary: 更正成果 {id} 的{what}{restart}}}；写 restart: true 时公示期从更正之日起重新计算，period.end 要相应延后。",
    "Achievement {id} is under notice {notice}: changing its {field} changes what the notice "
    "discloses. Add an amendment at the end of amendments in {notice_path}, such as "
    "- {{date: {today}, summary: ...{restart}}}; with restart: true the period runs again from the "
    "amendment, so move period.end on.",
)
_define(
    "body-changed-after-period",
    W,
    "changes",
    "公示 {id} 的公示期已于 {end} 结束，这次修改了正文（body）。公示期结束后不能再作更正，正文只可修正错别字、标点等文字错误，不能改变公示的内容（金额、比例、人员等）；修改会记入页面的修订记录。",
    "Notice {id} ended on {end}, and this changes its body. After the period no correction can be "
    "made: mend only the wording (typos, punctuation), never what the notice disclosed (amounts, "
    "shares, people); the page's revision history shows the change.",
)
_define(
    "record-moved-institution",
    E,
    "changes",
    "记录 {id} 原属单位 {old}，不能改为 {new}。已发布的记录不能转移到其他单位；如确属录入错误，请在原单位撤回（公示）并由新单位另行发布新记录。",
    "Record {id} belongs to {old} and cannot move to {new}. Keep it where it is; if it was filed under "
    "the wrong unit, withdraw it there and publish a new record under the other unit.",
)
_define(
    "referenced-achievement-deleted",
    E,
    "changes",
    "成果 {id} 被公示 {notices} 引用，不能删除。请恢复此文件；成果的后续情况请写在 history 中。",
    "Achievement {id} is referred to by notice(s) {notices_en}: it cannot be deleted. Restore the file; "
    "record what happened to it in its history.",
)
_define(
    "amendment-rewritten",
    E,
    "changes",
    "第 {index} 条更正（{date}）已经发布，不能修改（{field}）。请恢复原文；如需再次更正，请在 amendments 末尾新增一条。",
    "Amendment {index} (of {date}) is published and cannot be changed ({field}). Restore it as it "
    "was; add a new amendment at the end instead.",
)
_define(
    "amendment-deleted",
    E,
    "changes",
    "第 {index} 条更正（{date}：{summary}）已经发布，不能删除。请恢复该条更正；新的更正请加在末尾。",
    "Amendment {index} (of {date}: {summary}) is published and cannot be deleted. Restore it; add new "
    "amendments at the end.",
)
_define(
    "outcome-rewritten",
    E,
    "changes",
    "{date} 记录的公示结果已经发布，不能修改（{field}）。请恢复原文；后续情况请在正文（body）中说明。",
    "The outcome recorded on {date} is published and cannot be changed ({field}). Restore it; explain "
    "what happened later in the body.",
)
_define(
    "outcome-deleted",
    E,
    "changes",
    "{date} 记录的公示结果（{result}）已经发布，不能删除。请恢复 outcome。",
    "The outcome ({result}) recorded on {date} is published and cannot be deleted. Restore outcome.",
)


# The fixes a message offers in one of several forms, chosen where the problem is found and put
# into its `{suggestion}` or `{fix}` placeholder (hint()): their wording lives here too.
HINTS: dict[str, tuple[str, str]] = {
    "attachment-from-root": (
        "路径从本单位的 notices/ 文件夹算起，不要写 notices/单位编号/：请写成 file: {file}。",
        "The path starts from the unit's notices folder, without notices/<unit>/: write file: {file}. ",
    ),
    "attachment-case": (
        "文件名的大小写不同（Windows 和苹果电脑不区分，网站的服务器区分）：请写成 file: {file}。",
        "The file name differs in capitals (Windows and macOS ignore them, the site's server does not): "
        "write file: {file}. ",
    ),
    "institution-or-move": (
        "请改为 institution: {folder}，或把文件移到 {institution} 的文件夹。",
        "Write institution: {folder}, or move the file to the folder of {institution}.",
    ),
    "institution-misspelt": (
        "没有 {institution} 这个单位：请改为 institution: {folder}。",
        "There is no unit {institution}: write institution: {folder}.",
    ),
    "did-you-mean": ("是不是 {value}？", "Did you mean {value}? "),
    "id-as-file-name": ("请把 id 改为 {id}，与文件名一致。", "write id: {id}, as the file is named."),
    "id-choose-another": (
        "请换一个未使用的编号（并同时修改文件名）。",
        "choose another (and rename the file).",
    ),
    "write-value": ("请改为 {value}。", "Write {value}."),
    "period-swapped": (
        "是不是把开始和结束写反了？那就写成 period: {{start: {start}, end: {end}}}。",
        "Are the start and the end swapped? Then write period: {{start: {start}, end: {end}}}. ",
    ),
    "chinese-quotes": (
        "这里用了中文引号，YAML 不把它当作引号：请去掉，写成 {value}。",
        "It is in Chinese quotes, which YAML does not read as quotes: remove them, and write {value}. ",
    ),
    "full-width": (
        "这里用了全角字符，应写成 {value}。",
        "It is typed in full-width characters: write {value}. ",
    ),
    "date-written": ("应写成 {date}。", "Write {date}. "),
    "date-month-days": ("{year} 年 {month} 月只有 {days} 天。", "That month of {year} has {days} days. "),
    "ids-apart": (
        "这里像是几个编号写在了一起：请用英文逗号加空格分开，写成 [{listed}]。",
        "This looks like several ids run together: separate them with an English comma and a "
        "space: [{listed}].",
    ),
    "id-quoted": (
        '编号是文字，不是数字：请加上引号，例如 "{id}"。',
        'An id is text, not a number: put it in quotes, for example "{id}".',
    ),
    "id-example": ("例如 {id}。", "For example {id}."),
    "move-to": ("这个文件请移到 {target}。", " Move this file to {target}."),
    "stray-key": (
        "如果 {key} 是字段名，它后面少了英文冒号：请写成“{key}: ”再写值（冒号后一个空格）。",
        "If {key} is a key, its colon is missing: write '{key}: ' before the value (a space after the colon).",
    ),
    "stray-continued": (
        "它像是上一行 {key} 的后半部分：请把它接到上一行的末尾，{key} 写在一行里。",
        "It looks like the rest of {key} on the line above: join it to the end of that line, so "
        "that {key} is written on one line.",
    ),
    "outdented": (
        "它看来和上面的 {sibling} 是同一组的字段：请在行首补 {spaces} 个空格，与 {sibling} 左对齐。"
        "如果它的位置本来就对，那就是下一行“{next}”多缩进了，请让它与这一行左对齐。",
        "It seems to be a field of the same group as {sibling} above: add {spaces} spaces before it, "
        "to line it up with {sibling}. If it is where it belongs, the next line, '{next}', is indented "
        "too far: line it up with this one.",
    ),
    "stray-item": (
        "上一行是列表的一项：如果这一行也是，请在前面加“- ”（减号和空格），与上一项对齐。",
        "The line above is an item of a list: if this one is too, start it with '- ' aligned with it.",
    ),
    "stray-text": (
        "它在多行文字（{key}: |）下面：如果它是其中的一段，请在行首加两个空格，与上一段对齐。",
        "It comes under a block of text ({key}: |): if it is a paragraph of it, indent it by two "
        "spaces like the paragraph above.",
    ),
    "stray-any": (
        "如果它是上面列表的一项，请在前面加“- ”（减号和空格），与上一项对齐；如果它是上面多行文字（如 body: |）的一段，请在行首加两个空格，与上一段对齐；如果它是一个字段，请在字段名后加英文冒号和一个空格。",
        "If it is an item of the list above, start it with '- ' aligned with the item above; if it "
        "is a paragraph of the text above (under body: |), indent it by two spaces like the "
        "paragraph above; if it is a field, put an English colon and a space after its name.",
    ),
    "key-looks-like-text": (
        "字段名不会是中文：这一行像是正文。如果它属于上面的多行文字（如 body: |），请在行首加两个空格，与上一段对齐。",
        "A key is never Chinese: this line looks like text. If it belongs to the block of text "
        "above (under body: |), indent it by two spaces like the paragraph above.",
    ),
    "url-meant": ("例如“{url}”。", 'For example "{url}".'),
    "email-meant": ("请改为“{email}”。", 'Write "{email}".'),
    "lead-add": (
        "请在代表那一行加上 role: lead，例如 - {{name: 张三, role: lead, share: 50}}。",
        "Add role: lead to the representative's line, e.g. - {{name: 张三, role: lead, share: 50}}.",
    ),
    "lead-remove": (
        "请只保留一名代表：删除 {name} 那一行的 role: lead。",
        "Keep one: remove role: lead from {name}'s line.",
    ),
    "file-name-space": (
        "文件名里多了空格：请把文件改名为 {id}.yml。",
        "The file name has a space in it: rename the file to {id}.yml.",
    ),
    "file-name-not-id": (
        "文件名不能作编号：请把文件改名为 {id}.yml。",
        "The file name cannot be an id: rename the file to {id}.yml.",
    ),
    "id-or-file-name": (
        "请把 id 改为 {stem}，或把文件改名为 {id}.yml。",
        "Change the id to {stem} or rename the file to {id}.yml.",
    ),
}


def hint(which: str, placeholder: str = "fix", /, **params: object) -> dict[str, str]:
    """The params that put hint `which`, filled in, into a message's `{placeholder}` (Chinese)
    and `{placeholder_en}` (English)."""
    zh, en = HINTS[which]
    return {placeholder: zh.format(**params), f"{placeholder}_en": en.format(**params)}


def no_hint(placeholder: str = "suggestion") -> dict[str, str]:
    return {placeholder: "", f"{placeholder}_en": ""}


def render(problem: Problem) -> tuple[str, str]:
    """The Chinese message and its English gloss for one problem."""
    message = CATALOGUE[problem.code]
    values = _Defaults({"field": problem.field or "（文件）", **problem.params})
    # A hint left empty, or one written to run on, must not leave a space at the line's end.
    english = message.en.format_map(values).rstrip()
    values["field"] = counted_from_one(problem.field) if problem.field else "（文件）"
    return message.zh.format_map(values).rstrip(), english


_ITEM = re.compile(r"\[(\d+)\](\.)?")


def counted_from_one(field: str) -> str:
    """A field's path as a clerk counts: team[2].share is team 第 3 项的 share (the report's
    location line keeps the path as tools read it)."""
    return _ITEM.sub(
        lambda match: f" 第 {int(match.group(1)) + 1} 项" + ("的 " if match.group(2) else ""), field
    )


class _Defaults(dict[str, str]):
    """Leaves an unknown placeholder empty instead of raising: a missing param must never turn
    a clerk's report into a traceback."""

    def __missing__(self, key: str) -> str:
        return ""


def params_for(values: Mapping[str, object]) -> dict[str, str]:
    return {name: str(value) for name, value in values.items()}
