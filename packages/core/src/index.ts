export { Q, type RoundingMode } from './rational.ts';
