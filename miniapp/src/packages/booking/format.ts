// Kept for the booking pages' imports; the helpers live in lib/slot-label.ts (home uses them too).
export * from '../../lib/slot-label';
