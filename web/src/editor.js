// The code editor: CodeMirror 6 with a language that can be switched.
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { indentWithTab } from '@codemirror/commands';
import { indentUnit, StreamLanguage } from '@codemirror/language';
import { cpp } from '@codemirror/lang-cpp';
import { python } from '@codemirror/lang-python';
import { java } from '@codemirror/lang-java';
import { rust } from '@codemirror/lang-rust';
import { go } from '@codemirror/lang-go';
import { javascript } from '@codemirror/lang-javascript';
// Kotlin, Haskell and the languages outside the default set have no
// CodeMirror 6 package here: the legacy stream modes (one small file each)
// give them highlighting. PHP, Ada, Algol 68, Elixir, Modula-2, Nim and
// Prolog have none, and show as plain text.
import { csharp, kotlin, objectiveC, scala } from '@codemirror/legacy-modes/mode/clike';
import { haskell } from '@codemirror/legacy-modes/mode/haskell';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { lua } from '@codemirror/legacy-modes/mode/lua';
import { perl } from '@codemirror/legacy-modes/mode/perl';
import { ruby } from '@codemirror/legacy-modes/mode/ruby';
import { oCaml } from '@codemirror/legacy-modes/mode/mllike';
import { pascal } from '@codemirror/legacy-modes/mode/pascal';
import { cobol } from '@codemirror/legacy-modes/mode/cobol';
import { crystal } from '@codemirror/legacy-modes/mode/crystal';
import { d } from '@codemirror/legacy-modes/mode/d';
import { erlang } from '@codemirror/legacy-modes/mode/erlang';
import { forth } from '@codemirror/legacy-modes/mode/forth';
import { fortran } from '@codemirror/legacy-modes/mode/fortran';
import { commonLisp } from '@codemirror/legacy-modes/mode/commonlisp';
import { octave } from '@codemirror/legacy-modes/mode/octave';
import { scheme } from '@codemirror/legacy-modes/mode/scheme';
import { r } from '@codemirror/legacy-modes/mode/r';

const MODES = {
  c: () => cpp(),
  cpp: () => cpp(),
  python: () => python(),
  java: () => java(),
  rust: () => rust(),
  go: () => go(),
  javascript: () => javascript(),
  kotlin: () => StreamLanguage.define(kotlin),
  haskell: () => StreamLanguage.define(haskell),
  typescript: () => javascript({ typescript: true }),
  shell: () => StreamLanguage.define(shell),
  lua: () => StreamLanguage.define(lua),
  perl: () => StreamLanguage.define(perl),
  ruby: () => StreamLanguage.define(ruby),
  mllike: () => StreamLanguage.define(oCaml),
  pascal: () => StreamLanguage.define(pascal),
  csharp: () => StreamLanguage.define(csharp),
  scala: () => StreamLanguage.define(scala),
  objectivec: () => StreamLanguage.define(objectiveC),
  cobol: () => StreamLanguage.define(cobol),
  crystal: () => StreamLanguage.define(crystal),
  d: () => StreamLanguage.define(d),
  erlang: () => StreamLanguage.define(erlang),
  forth: () => StreamLanguage.define(forth),
  fortran: () => StreamLanguage.define(fortran),
  commonlisp: () => StreamLanguage.define(commonLisp),
  octave: () => StreamLanguage.define(octave),
  scheme: () => StreamLanguage.define(scheme),
  r: () => StreamLanguage.define(r),
};

/// Creates the editor in `parent`. `keys` are extra bindings ({key, run}),
/// checked before CodeMirror's own; `onChange(text)` is called on edits.
export function createEditor(parent, { keys = [], onChange = () => {} } = {}) {
  const language = new Compartment();
  const indent = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        Prec.highest(keymap.of(keys)),
        basicSetup,
        keymap.of([indentWithTab]),
        language.of([]),
        indent.of(indentUnit.of('    ')),
        EditorView.contentAttributes.of({ 'aria-label': 'Code editor', 'data-testid': 'code-editor' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setMode(mode) {
      const make = MODES[mode];
      view.dispatch({
        effects: [
          language.reconfigure(make ? make() : []),
          indent.reconfigure(indentUnit.of(mode === 'go' ? '\t' : '    ')),
        ],
      });
    },
    focus: () => view.focus(),
  };
}
