import { PublishedMarks } from './published-marks';

const later = (one: bigint, other: bigint) => (one > other ? one : other);

describe('marks confirmed published and not yet recorded', () => {
  describe('when marks of one key arrive more than once', () => {
    it('keeps them as one, merged', () => {
      const marks = new PublishedMarks<number, bigint>(later);
      marks.add([
        [1, 5n],
        [2, 3n],
      ]);
      marks.add([[1, 9n]]);
      expect(marks.take()).toEqual(
        new Map([
          [1, 9n],
          [2, 3n],
        ]),
      );
    });

    it('keeps the later mark when an older one is given back after a failed transaction', () => {
      const marks = new PublishedMarks<number, bigint>(later);
      marks.add([[1, 5n]]);
      const taken = marks.take();
      marks.add([[1, 8n]]);
      marks.add(taken);
      expect(marks.take()).toEqual(new Map([[1, 8n]]));
    });
  });

  describe('when a transaction takes the marks of some keys', () => {
    it('hands over those alone and keeps the others', () => {
      const marks = new PublishedMarks<number, bigint>(later);
      marks.add([
        [1, 5n],
        [2, 3n],
        [3, 7n],
      ]);
      expect(marks.take([1, 3, 4])).toEqual(
        new Map([
          [1, 5n],
          [3, 7n],
        ]),
      );
      expect(marks.keys()).toEqual([2]);
    });
  });

  describe('when every mark is taken', () => {
    it('holds none afterwards', () => {
      const marks = new PublishedMarks<string, null>((one) => one);
      marks.add([
        ['10', null],
        ['11', null],
      ]);
      expect([...marks.take().keys()]).toEqual(['10', '11']);
      expect(marks.size).toBe(0);
      expect(marks.take().size).toBe(0);
    });
  });
});
