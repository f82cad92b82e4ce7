import { describe, expect, it } from 'vitest';
import { fma, goExp, goSin, goTan } from '../../src/promql/gomath.ts';
import { goPow } from '../../src/promql/mathx.ts';

describe('fma rounds a × b + c once', () => {
  const cases: [number, number, number, number][] = [
    [0.1, 10, -1, 5.551115123125783e-17],
    [2, 3, 4, 10],
    [1e308, 10, -Infinity, -Infinity],
    [-1.5, 2, 0, -3],
    [1 + 2 ** -52, 1 - 2 ** -53, -1, 2 ** -53 - 2 ** -105],
  ];
  for (const [a, b, c, want] of cases)
    it(`${a} × ${b} + ${c}`, () => expect(fma(a, b, c)).toBe(want));
});

// Expected values are promtool 2.42's (Go's math on amd64 with FMA), where V8's Math differs.
describe("Go's math functions", () => {
  const cases: [string, number, number][] = [
    ['goPow(1.0001, 100000)', goPow(1.0001, 100000), 22015.456048481854],
    ['goPow(1.1, 700)', goPow(1.1, 700), 9.437992127672861e28],
    ['goExp(3.14159)', goExp(3.14159), 23.140631226954962],
    ['goExp(-Infinity)', goExp(-Infinity), 0],
    ['goExp(710)', goExp(710), Infinity],
    ['goSin(3.14159)', goSin(3.14159), 2.6535897933527304e-6],
    ['goTan(3.14159)', goTan(3.14159), -2.653589793362073e-6],
  ];
  for (const [name, got, want] of cases) it(name, () => expect(got).toBe(want));
});
