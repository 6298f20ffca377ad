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
// Kotlin and Haskell have no CodeMirror 6 package: the legacy stream modes
// (one small file each) give them highlighting.
import { kotlin } from '@codemirror/legacy-modes/mode/clike';
import { haskell } from '@codemirror/legacy-modes/mode/haskell';

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
