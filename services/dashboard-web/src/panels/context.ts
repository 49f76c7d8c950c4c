import type { Formatters } from '../format';
import type { Texts } from '../i18n';

/** What a panel renderer gets besides its read's data. */
export interface PanelContext {
  f: Formatters;
  t: Texts;
}
