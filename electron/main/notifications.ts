import type { Notice, NoticeAction } from '../core/notices.js';

export interface NotificationSpec {
  title: string;
  body: string;
  /** Buttons (shown on macOS; elsewhere the click does the first action). */
  buttons: { text: string; action: NoticeAction }[];
  /** What clicking the notification itself does. */
  onClick: NoticeAction | 'open-app';
  /** Needs the person now (it will not fix itself), so it stays until dismissed where supported. */
  urgent: boolean;
}

const LABELS: Record<NoticeAction, string | null> = {
  'log-in-again': 'Log in again',
  'open-instance': 'Open in browser',
  dismiss: null,
};

/** A notice from the core's planner as a desktop notification, with the action that fixes it. */
export function notificationSpec(notice: Notice): NotificationSpec {
  const buttons = notice.actions.flatMap((action) => {
    const text = LABELS[action];
    return text === null ? [] : [{ text, action }];
  });
  return {
    title: notice.title,
    body: notice.body,
    buttons,
    onClick: buttons[0]?.action ?? 'open-app',
    urgent: notice.kind !== 'expiring',
  };
}
