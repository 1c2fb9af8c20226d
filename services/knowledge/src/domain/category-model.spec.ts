import { CategoryModel, features } from './category-model';

const examples = [
  { category: 'printer', text: 'printer jobs stuck in the print queue' },
  { category: 'printer', text: 'nothing prints, the printer queue shows an error' },
  { category: 'account_unlock', text: 'my account is locked out after too many attempts' },
  { category: 'account_unlock', text: 'locked out of windows, please unlock my account' },
];

describe('category model', () => {
  it('stems words, drops stop words and adds word pairs', () => {
    expect(features('The printers are printing')).toEqual(expect.arrayContaining(['print', 'printer', 'printer print']));
    expect(features('the and of')).toEqual([]);
  });

  it('ranks the category whose examples share the words, with probabilities summing to 1', () => {
    const model = CategoryModel.train(examples);
    const ranked = model.predict('print queue is stuck again');
    expect(ranked[0]!.category).toBe('printer');
    expect(ranked.reduce((a, r) => a + r.p, 0)).toBeCloseTo(1);
    expect(model.predict('I am locked out')[0]!.category).toBe('account_unlock');
  });

  it('says nothing about a text none of whose words it has seen, or without examples', () => {
    expect(CategoryModel.train(examples).predict('zebra quartz')).toEqual([]);
    expect(CategoryModel.train([]).predict('printer')).toEqual([]);
  });
});
