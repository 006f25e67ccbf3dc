/** Where the use cases get new ids and the time: injected, so that their tests choose both. */
export interface IdsAndClock {
  newId(): string;
  now(): Date;
}
