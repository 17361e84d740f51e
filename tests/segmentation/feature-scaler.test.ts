import { DataError, OptionError, TelcoAnalyticsError } from 'telco-analytics/data';
import { applyScaler, fitScaler, invertScaler } from 'telco-analytics/segmentation';
import { describe, expect, it } from 'vitest';

const rows = Object.freeze(
  [
    [1, 5, 0],
    [2, 5, 9],
    [3, 5, 99],
    [6, 5, 999],
  ].map((row) => Object.freeze(row)),
);

describe('fitScaler', () => {
  it('standard: mean and population standard deviation; a constant column becomes 0, not NaN', () => {
    const scaler = fitScaler(rows, 'standard');
    // Column 1: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
    expect(scaler.center[0]).toBe(3);
    expect(scaler.scale[0]).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(scaler.scale[1]).toBe(1);
    const scaled = applyScaler(scaler, rows);
    expect(scaled.data[0]).toBeCloseTo(-2 / Math.sqrt(3.5), 14);
    expect(scaled.data[1]).toBe(0);
  });

  it('robust: median and interquartile range (numpy linear percentiles)', () => {
    const scaler = fitScaler(rows, 'robust');
    // Column 1 sorted 1, 2, 3, 6: median 2.5, q25 = 1.75, q75 = 3.75, IQR 2.
    expect(scaler.center[0]).toBe(2.5);
    expect(scaler.scale[0]).toBe(2);
    expect(scaler.scale[1]).toBe(1);
  });

  it('minmax maps to [0, 1]', () => {
    const scaled = applyScaler(fitScaler(rows, 'minmax'), rows);
    expect(Array.from({ length: 4 }, (_, r) => scaled.data[r * 3])).toEqual([0, 0.2, 0.4, 1]);
  });

  it('log1p columns by index or name, and invertScaler undoes the transform', () => {
    const named = fitScaler(rows, 'standard', { log1p: ['usage'], featureNames: ['calls', 'fee', 'usage'] });
    const indexed = fitScaler(rows, 'standard', { log1p: [2] });
    expect(named.log1p).toEqual([2]);
    expect(named.center).toEqual(indexed.center);
    // log1p of 0, 9, 99, 999 = ln 1, ln 10, ln 100, ln 1000: mean ln(1000) / 2.
    expect(named.center[2]).toBeCloseTo(Math.log(1000) / 2, 14);
    const back = invertScaler(named, applyScaler(named, rows));
    rows.flat().forEach((value, i) => {
      expect(back.data[i]).toBeCloseTo(value, 9);
    });
  });

  it('round-trips through JSON', () => {
    const scaler = fitScaler(rows, 'robust', { log1p: [2] });
    expect(JSON.parse(JSON.stringify(scaler))).toEqual(scaler);
  });

  it('rejects bad input naming the row, column or option', () => {
    expect(() => fitScaler([[1, Number.NaN]], 'standard', { featureNames: ['a', 'b'] })).toThrow(
      "row 1, column 'b'",
    );
    expect(() => fitScaler([[1, 2], [3]], 'standard')).toThrow(DataError);
    expect(() => fitScaler([[1, -2]], 'standard', { log1p: [1] })).toThrow(
      "row 1, column 'column 2': log1p needs a value above -1",
    );
    expect(() => fitScaler(rows, 'standard', { log1p: ['nope'] })).toThrow(OptionError);
    expect(() => fitScaler(rows, 'zscore' as 'standard')).toThrow(OptionError);
    expect(() => fitScaler([], 'standard')).toThrow(TelcoAnalyticsError);
    const scaler = fitScaler(rows, 'standard');
    expect(() => applyScaler(scaler, [[1, 2]])).toThrow(/the scaler expects 3/);
    expect(() => applyScaler({ ...scaler, scale: [0, 1, 1] }, rows)).toThrow(/not a version-1 scaler/);
  });
});
