import { createHash } from 'node:crypto';
import { composeIBAN, electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { GatewayRefusal } from './refusals';

export interface BeneficiaryInput {
  iban: string;
  name: string;
  bic?: string | null;
}

export interface CheckedBeneficiary {
  /** Electronic format: no spaces, upper case (`DE89 3704 …` is taken as `DE893704…`). */
  iban: string;
  name: string;
  bic: string | null;
}

/**
 * A payout's beneficiary as the bank will get it, or why not: the IBAN's country, length, format
 * and check digits (ibantools), and the BIC's format when one is given.
 */
export function checkBeneficiary(
  input: BeneficiaryInput,
): { ok: true; beneficiary: CheckedBeneficiary } | { ok: false; refusal: GatewayRefusal } {
  const iban = electronicFormatIBAN(input.iban)?.toUpperCase() ?? '';
  if (!isValidIBAN(iban)) return { ok: false, refusal: { code: 'invalid_iban' } };
  const bic = input.bic ? input.bic.replaceAll(' ', '').toUpperCase() : null;
  if (bic !== null && !isValidBIC(bic)) return { ok: false, refusal: { code: 'invalid_bic' } };
  return { ok: true, beneficiary: { iban, name: input.name, bic } };
}

/** Digits of a German account number (Kontonummer) in a DE IBAN's BBAN. */
const ACCOUNT_NUMBER_DIGITS = 10;

/**
 * The virtual IBAN of an account at the sandbox bank: country DE, the bank's code, and an account
 * number derived from the account id (SHA-256 reduced to ten digits); ibantools computes the check
 * digits. Ten digits cannot tell every account id apart, so the gateway stores the IBAN under a
 * unique constraint and opens the account under another id in the rare case of a collision.
 */
export function virtualIbanOf(accountId: string, bankCode: string): string {
  if (!/^[0-9]{8}$/.test(bankCode)) throw new Error(`bank code ${bankCode} is not 8 digits`);
  const digest = BigInt(`0x${createHash('sha256').update(accountId).digest('hex')}`);
  const accountNumber = (digest % 10n ** BigInt(ACCOUNT_NUMBER_DIGITS))
    .toString()
    .padStart(ACCOUNT_NUMBER_DIGITS, '0');
  const iban = composeIBAN({ countryCode: 'DE', bban: `${bankCode}${accountNumber}` });
  if (!iban || !isValidIBAN(iban)) throw new Error(`no valid IBAN for account ${accountId}`);
  return iban;
}
