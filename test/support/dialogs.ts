import type { Confirmation, Dialogs } from '../../electron/main/dialogs.js';

/** Main's native dialogs, answered by the test and remembered: what was asked, and how often. */
export interface RecordingDialogs extends Dialogs {
  /** Every question main asked, in order. */
  readonly asked: Confirmation[];
  /** The hosts the CA picker was opened for, in order. */
  readonly picked: string[];
  /** How the person answers the questions to come, in order; once used up, `answer`. */
  answers: boolean[];
  answer: boolean;
  /** The file the person picks next; null cancels the picker. */
  pick: string | null;
}

export function recordingDialogs(): RecordingDialogs {
  const dialogs: RecordingDialogs = {
    asked: [],
    picked: [],
    answers: [],
    answer: false,
    pick: null,
    confirm: (question) => {
      dialogs.asked.push(question);
      return Promise.resolve(dialogs.answers.shift() ?? dialogs.answer);
    },
    pickCaFile: (host) => {
      dialogs.picked.push(host);
      return Promise.resolve(dialogs.pick);
    },
  };
  return dialogs;
}
