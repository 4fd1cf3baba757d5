export { Q, type RoundingMode } from './rational.ts';
export { type Parsed, type Failure, ok, fail } from './parsed.ts';
export { formatFixed } from './fixed.ts';
export { parseMoneyFen, formatYuan, formatYuanGrouped, formatWanYuan, fenToQ } from './money.ts';
export { parsePercent, formatPercent } from './rates.ts';
export { type BoundOp, type Bound, type LegalRange, parseLegalBound, parseLegalRange, satisfies, inRange } from './legal.ts';
export {
  parseDate, parseMonth, parseYear, parseExcelSerial, excelSerialToDays, formatDate, formatMonth,
  yearOfDays, monthIndexOfDays, monthIndex, yearOfMonth, monthOfYear, daysOf, civilOfDays,
  isLeapYear, daysInMonth, isValidDate,
} from './periods.ts';
export {
  type PartyKind, usccCheckChar, validateUscc, makeUscc, residentIdCheckChar, validateResidentId,
  makeResidentId, validatePartyId, maskResidentId, maskPartyId,
} from './ids.ts';
export {
  validateRegionCode, isProvinceCode, REGIONS, regionName, TIANJIN_DISTRICTS, WENZHOU_URBAN,
  WENZHOU_MOUNTAIN_COUNTIES, CHONGQING_DISTRICTS, CHONGQING_COUNTIES, LIAOCHENG_COUNTIES,
} from './regions.ts';
export {
  type Thresholds, type IndustrySize, type EnterpriseSize, INDUSTRIES, SIZE_ZH, findIndustry, classifySize,
} from './size.ts';
export { parseBool } from './booleans.ts';
