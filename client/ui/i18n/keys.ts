/** Every language must define exactly the keys of the English dictionary: the compiler checks it. */
import type * as en from './en';

export type CommonStrings = Record<keyof typeof en.common, string>;
export type VisitorStrings = Record<keyof typeof en.visitor, string>;
export type StaffStrings = Record<keyof typeof en.staff, string>;

export type VisitorKey = keyof CommonStrings | keyof VisitorStrings;
export type StaffKey = keyof CommonStrings | keyof StaffStrings;
