import { FilterError, matchAll, validateFilter, type FilterItem } from '../../src/vendors/autotask/filter';

const doc = { id: 7, title: 'Donor database slow', status: 1, completedDate: null, createDate: '2026-11-30T10:00:00Z', userDefinedFields: [{ name: 'VIP', value: 'Yes' }] };
const fields = new Set(['id', 'title', 'status', 'completeddate', 'createdate']);
const m = (items: FilterItem[]) => matchAll(doc, validateFilter(items, fields, 'Ticket'));

describe('Autotask filter grammar', () => {
  it('evaluates every documented operator', () => {
    expect(m([{ op: 'eq', field: 'id', value: 7 }])).toBe(true);
    expect(m([{ op: 'noteq', field: 'status', value: 5 }])).toBe(true);
    expect(m([{ op: 'gt', field: 'id', value: 6 }, { op: 'gte', field: 'id', value: 7 }, { op: 'lt', field: 'id', value: 8 }, { op: 'lte', field: 'id', value: 7 }])).toBe(true);
    expect(m([{ op: 'beginsWith', field: 'title', value: 'donor' }, { op: 'endsWith', field: 'title', value: 'SLOW' }, { op: 'contains', field: 'title', value: 'base' }])).toBe(true);
    expect(m([{ op: 'exist', field: 'title' }, { op: 'notExist', field: 'completedDate' }])).toBe(true);
    expect(m([{ op: 'in', field: 'status', value: [1, 2] }, { op: 'notIn', field: 'status', value: [5] }])).toBe(true);
    expect(m([{ op: 'gt', field: 'createDate', value: '2026-11-30T09:00:00Z' }])).toBe(true);
    expect(m([{ op: 'eq', field: 'VIP', value: 'yes', udf: true }])).toBe(true);
  });

  it('nests and/or groups; top-level items are ANDed', () => {
    expect(m([{ op: 'or', items: [{ op: 'eq', field: 'id', value: 1 }, { op: 'eq', field: 'id', value: 7 }] }])).toBe(true);
    expect(m([{ op: 'and', items: [{ op: 'eq', field: 'id', value: 7 }, { op: 'eq', field: 'status', value: 2 }] }])).toBe(false);
    expect(m([{ op: 'eq', field: 'id', value: 7 }, { op: 'eq', field: 'status', value: 2 }])).toBe(false);
  });

  it('refuses unknown fields and operators, and empty filters', () => {
    expect(() => m([{ op: 'eq', field: 'nope', value: 1 }])).toThrow(FilterError);
    expect(() => m([{ op: 'like', field: 'title', value: 'x' }])).toThrow(FilterError);
    expect(() => m([])).toThrow(FilterError);
    expect(() => m([{ op: 'in', field: 'id', value: 3 }])).toThrow(FilterError);
  });
});
