defmodule Lockstep.Generator.Buffer do
  @moduledoc false
  # Popping a buffered op: the hot path of next/1, defined once and
  # expanded where it runs (Lockstep.Generator.next/1, Driver.next/1).
  # (This module names no struct at compile time, so Lockstep.Generator can
  # require it.)

  @doc false
  # Defines `name/1`'s clauses that pop a buffered op: one map match and one
  # update per op, the hot path of next/1 (Lockstep.Generator.next/1 and
  # Driver.next/1 both start with them; anything else falls through). A
  # round-robin mix or a concat keeps the `next_child` after each buffered
  # op in `pos`, popped with it (a leaf's `pos` is its op index, and its
  # `next_child` nil).
  defmacro pop_clauses(name) do
    quote do
      def unquote(name)(
            %Lockstep.Generator{buf: [op | rest], remaining: :infinity, next_child: nil} = gen
          ),
          do: {op, %{gen | buf: rest}}

      def unquote(name)(
            %Lockstep.Generator{buf: [op | rest], remaining: remaining, next_child: nil} = gen
          )
          when remaining > 0,
          do: {op, %{gen | buf: rest, remaining: remaining - 1}}

      def unquote(name)(
            %Lockstep.Generator{buf: [op | rest], pos: [nc | ncs], remaining: :infinity} = gen
          ),
          do: {op, %{gen | buf: rest, pos: ncs, next_child: nc}}

      def unquote(name)(
            %Lockstep.Generator{buf: [op | rest], pos: [nc | ncs], remaining: remaining} = gen
          )
          when remaining > 0,
          do: {op, %{gen | buf: rest, pos: ncs, next_child: nc, remaining: remaining - 1}}
    end
  end
end
