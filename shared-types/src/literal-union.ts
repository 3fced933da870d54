// One list of allowed values, three uses: the TypeBox schema (runtime validation), a literal
// union type (`Type.Union(list.map(Type.Literal))` alone widens to `string`), and the list
// itself (mongoose `enum:`).
import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';

export function literalUnion<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}
