import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isCommonPassword } from './common-passwords';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** 10–128 characters and not one of the most common passwords. */
export function IsStrongPassword(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStrongPassword',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.length >= PASSWORD_MIN &&
          value.length <= PASSWORD_MAX &&
          !isCommonPassword(value),
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          if (typeof value === 'string' && value.length >= PASSWORD_MIN && value.length <= PASSWORD_MAX) {
            return `${args?.property ?? 'password'} is too common; choose another`;
          }
          return `${args?.property ?? 'password'} must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`;
        },
      },
    });
}
