// Generates hf_vectors.json: encode and decode vectors from Hugging Face
// tokenizers itself (the npm "tokenizers" package, Rust bindings), for
// tokenizer.json in this directory.
//
//   npm install tokenizers@0.23.2 && node gen_hf_vectors.js > hf_vectors.json
'use strict';
const { Tokenizer } = require('tokenizers');
const path = require('path');

const tok = Tokenizer.fromFile(path.join(__dirname, 'tokenizer.json'));

// Deterministic PRNG (mulberry32).
let seed = 20240611;
function rnd() {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];

const fixed = [
  '', ' ', '  ', '   ', '\t', '\n', '\r', '\r\n', '\n\n\n', ' \n', '\n ', ' \n ', '  \n  b', 'a  \n  b',
  'trailing spaces   ', '  a', '   leading', 'a\tb', 'a\t\tb', '\t\tindent', 'x \t y', 'x\u00a0\u00a0y',
  '12345', '1234567890123', '1 2 3', '١٢٣٤٥', '½²Ⅷ x', '３４５６', '3.14159', '-0.5e10', '$1,000,000.00',
  "I'm", "I'M", "you're YOU'RE You'Re", "'s 't 're 've 'm 'll 'd", "'S'T'RE'VE'M'LL'D", "x'ſa", "'ſ", "don't", "rock'n'roll",
  "'", "''", "' s", "a's", "a 's", "'hello", "  'll", "'\n", "it's\n\n",
  '<|begin_of_text|>', '<|eot_id|>', '<|eot_id|><|eot_id|>', '<<|eot_id|>>', '<|eot_id', 'eot_id|>', '<|eot_id|> hi',
  'hi <|eot_id|>', 'a<|reserved_special_token_0|>b', '<|reserved_special_token_250|>', '<|reserved_special_token_251|>',
  '<|start_header_id|>system<|end_header_id|>\n\nYou are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  '<|finetune_right_pad_id|>', '<|python_tag|>', ' <|eot_id|> ', '\n<|eot_id|>\n', '<|notatoken|>', '<|', '|>', '<||>',
  'Hello, World!!!', '...', '!!!\n\n', '?!\r\n\r\n', ' ...\n', '---\n', '```go\nfunc main() {}\n```\n', '    return x\n',
  'def f(x):\n\treturn x**2\n\n\n', '<div class="a">b</div>', 'a+b=c', 'foo_bar.baz()', '#include <stdio.h>', '/* c */ // d',
  'naïve café résumé', 'ÄÖÜ äöü ß', 'Ελληνικά κείμενο', 'Привет, мир!', 'עברית', 'العربية نص', 'हिन्दी पाठ', 'ไทย', '한국어 텍스트',
  '日本語のテキスト', '中文文本没有空格的很长的句子', 'カタカナ', 'Tiếng Việt', 'ﬁ ﬂ ligatures', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '🙂', '👍🏽', '👨‍👩‍👧‍👦', '🇺🇸🇩🇪', 'emoji 🙂👍🏽 done', '❤️', '©®™', '→←↑↓', '∑∫√∞', '“quotes” ‘single’ — –',
  '\u200b', 'a\u200bb', '\ufeffBOM', 'a\u0085b', 'a\u0085\u0085b', 'a\u001c\u001cb', 'a\u2028\u2028b', 'x\u3000\u3000y', 'a\u180e\u180eb',
  '\u0000', 'a\u0000b', '\u007f', '\u00ad', 'soft\u00adhyphen', '\ufffd', 'a\ufffdb',
  'x'.repeat(300), 'ab'.repeat(200), ' '.repeat(200), '\n'.repeat(50), 'a' + ' '.repeat(70) + 'b', '9'.repeat(100),
  '日本'.repeat(100), '🙂'.repeat(60), 'supercalifragilisticexpialidocious', 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(4),
  'https://example.com/a/b?c=d&e=f#g', 'user@example.com', '2024-06-11T12:34:56Z', '0x7fffffff', 'snake_case camelCase PascalCase kebab-case',
];

// Random strings from pools of characters that exercise every branch of the
// pre-tokenizer.
const pools = [
  ' ', ' ', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u3000', '\u2028', '\u0085', '\u000b', '\u000c',
  'a', 'b', 'e', 's', 't', 'l', 'r', 'v', 'm', 'd', 'S', 'T', 'LL', 'RE', 'the', 'The', 'ing', 'hello', 'world',
  "'", "'", '"', '.', ',', '!', '?', '-', '_', '(', ')', '[', ']', '{', '}', '<', '>', '|', '/', '\\', '*', '#', '@', '$', '%', '^', '&', '~', '`',
  '0', '1', '2', '3', '42', '123', '2024', '½', '²', '٣',
  'é', 'ß', 'ñ', 'ſ', 'Ω', 'ж', 'Я', 'ע', 'ع', 'ह', '्', 'ก', '한', '日', '本', 'の', 'カ', '中',
  '🙂', '👍', '🏽', '\u200d', '❤', '\ufe0f', '🇺', '©', '→', '∑', '“', '”', '—', '\u0301', '\u200b', '\ufeff', '\u0000', '\u001f',
  '<|eot_id|>', '<|begin_of_text|>', '<|reserved_special_token_7|>', '<|', '|>',
];
const randomTexts = [];
for (let i = 0; i < 400; i++) {
  const n = 1 + Math.floor(rnd() * (i < 350 ? 12 : 60));
  let s = '';
  for (let k = 0; k < n; k++) s += pick(pools);
  randomTexts.push(s);
}
// Random code points from the whole BMP and beyond (valid scalar values).
for (let i = 0; i < 100; i++) {
  let s = '';
  const n = 1 + Math.floor(rnd() * 10);
  for (let k = 0; k < n; k++) {
    let cp;
    do {
      cp = rnd() < 0.7 ? Math.floor(rnd() * 0x3000) : Math.floor(rnd() * 0x30000);
    } while (cp >= 0xd800 && cp <= 0xdfff);
    s += String.fromCodePoint(cp);
    if (rnd() < 0.3) s += ' ';
  }
  randomTexts.push(s);
}

(async () => {
  const encode = [];
  for (const text of [...fixed, ...randomTexts]) {
    const withBOS = await tok.encode(text, null, { addSpecialTokens: true });
    const without = await tok.encode(text, null, { addSpecialTokens: false });
    encode.push({ text, ids: withBOS.getIds(), ids_no_bos: without.getIds() });
  }
  // Decode vectors: random ids, including runs of byte tokens that split
  // or break UTF-8 sequences.
  const decode = [];
  const singleBytes = [];
  for (const [t, id] of Object.entries(tok.getVocab(false))) {
    if ([...t].length === 1) singleBytes.push(id);
  }
  singleBytes.sort((a, b) => a - b); // getVocab's order is not stable
  for (let i = 0; i < 150; i++) {
    const ids = [];
    const n = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < n; k++) {
      const r = rnd();
      if (r < 0.5) ids.push(pick(singleBytes));
      else if (r < 0.95) ids.push(Math.floor(rnd() * 128000));
      else ids.push(128000 + Math.floor(rnd() * 256));
    }
    decode.push({ ids, text: await tok.decode(ids, false) });
  }
  console.log(JSON.stringify({
    source: 'Hugging Face tokenizers (npm tokenizers@0.23.2, Rust): encode(text, add_special_tokens) and decode(ids, skip_special_tokens=false); generated by gen_hf_vectors.js',
    count: encode.length,
    vectors: encode,
    decode,
  }, null, 0));
})();
