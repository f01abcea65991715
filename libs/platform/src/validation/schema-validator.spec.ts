import { Type } from '@sinclair/typebox';
import { compileSchema, oneOf } from './schema-validator';

describe('compileSchema', () => {
  const Named = Type.Object({
    name: Type.String({ maxLength: 8 }),
    kind: Type.Optional(oneOf(['a', 'b'] as const)),
  });

  it('types a valid value and names each bad field', () => {
    expect(compileSchema(Named)({ name: 'x', kind: 'a' })).toEqual({
      ok: true,
      value: { name: 'x', kind: 'a' },
    });
    expect(compileSchema(Named)({ name: 'far too long', kind: 'c' })).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'must NOT have more than 8 characters' },
        { field: 'kind', message: 'must be one of a, b' },
      ],
    });
  });

  it('refuses ill-formed text by default, and leaves the walk out for text a UTF-8 decoder produced', () => {
    expect(compileSchema(Named)({ name: 'x\ud800' })).toMatchObject({
      ok: false,
      errors: [{ field: 'name' }],
    });
    // A protobuf decoder cannot produce an unpaired surrogate: the option only skips a walk that
    // could find nothing (shown here with a value no decoder would give).
    expect(compileSchema(Named, { text: 'decoded-utf8' })({ name: 'x\ud800' }).ok).toBe(true);
  });
});
