defmodule Lockstep.Generator.Options do
  @moduledoc false
  # Option and argument checks shared by the public constructors. Every failure
  # is an ArgumentError naming the function and the offending argument.

  @doc false
  @spec keyword!(term(), [atom()], String.t()) :: keyword()
  def keyword!([], _allowed, _fun), do: []

  # The common case, one allowed option, checked without walking `allowed`.
  # (`:lists.member/2` directly: `key in allowed` on a list in a variable
  # is a call to Enum.member?/2, which calls it.)
  def keyword!([{key, _}] = opts, allowed, fun) when is_atom(key) do
    if :lists.member(key, allowed), do: opts, else: unknown!(key, allowed, fun)
  end

  def keyword!(opts, allowed, fun) do
    # (Keyword.keyword?/1 is false on an improper list, where Enum would raise.)
    unless Keyword.keyword?(opts) do
      raise ArgumentError, "#{fun} expects options as a keyword list, got: #{inspect(opts)}"
    end

    case Enum.find(opts, fn {key, _} -> key not in allowed end) do
      nil ->
        opts

      {key, _} ->
        unknown!(key, allowed, fun)
    end
  end

  defp unknown!(key, allowed, fun) do
    raise ArgumentError,
          "#{fun} got unknown option #{inspect(key)}; supported: " <>
            Enum.map_join(allowed, ", ", &inspect/1)
  end

  @doc false
  # `ops` when it is a non-empty proper list, else an ArgumentError naming
  # `name` and `fun`. A macro: a leaf's construction is on the hot path of
  # a fresh generator per iteration, and the check is then one guard where
  # it is used, no call (`length/1` fails in a guard on an improper list).
  defmacro ops!(ops, name, fun) do
    quote do
      case unquote(ops) do
        ops when is_list(ops) and length(ops) > 0 -> ops
        ops -> Lockstep.Generator.Options.bad_ops!(ops, unquote(name), unquote(fun))
      end
    end
  end

  @doc false
  # (The failure of `ops!/3`.)
  @spec bad_ops!(term(), String.t(), String.t()) :: no_return()
  def bad_ops!(ops, name, fun) do
    raise ArgumentError, "#{fun} expects #{name} to be a non-empty list, got: #{inspect(ops)}"
  end

  @doc false
  # A Zipf skew: a number >= 0 as a float (bignums too large for a float are
  # rejected here rather than raising ArithmeticError later).
  @spec skew!(term(), String.t(), String.t()) :: float()
  def skew!(skew, fun, what) when is_number(skew) and skew >= 0 do
    skew / 1
  rescue
    ArithmeticError -> bad_skew!(skew, fun, what)
  end

  def skew!(skew, fun, what), do: bad_skew!(skew, fun, what)

  defp bad_skew!(skew, fun, what) do
    raise ArgumentError, "#{fun} expects #{what} to be a number >= 0, got: #{inspect(skew)}"
  end

  @doc false
  # An option's value, or `default`, as Keyword.get/3 finds it; a macro,
  # without its call (constructors read their options on the hot path of
  # a fresh generator per iteration).
  defmacro get(opts, key, default) do
    quote do
      case :lists.keyfind(unquote(key), 1, unquote(opts)) do
        {_key, value} -> value
        false -> unquote(default)
      end
    end
  end

  @doc false
  # An integer option in `range` (default `default`), named in the error.
  @spec int!(keyword(), atom(), integer(), Range.t(), String.t()) :: integer()
  def int!(opts, key, default, first..last//1 = range, fun) do
    # Bounds compared directly: `n in range` on a range in a variable goes
    # through the Enumerable protocol (construction is on the hot path).
    case get(opts, key, default) do
      n when is_integer(n) and n >= first and n <= last ->
        n

      n when is_integer(n) ->
        bad_int!(key, n, range, fun)

      other ->
        bad_int!(key, other, range, fun)
    end
  end

  defp bad_int!(key, value, first..last//_, fun) do
    raise ArgumentError,
          "#{fun} expects #{inspect(key)} to be an integer in #{first}..#{last}, got: #{inspect(value)}"
  end
end
