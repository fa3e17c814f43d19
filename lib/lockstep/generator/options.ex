defmodule Lockstep.Generator.Options do
  @moduledoc false
  # Option and argument checks shared by the public constructors. Every failure
  # is an ArgumentError naming the function and the offending argument.

  @doc false
  @spec keyword!(term(), [atom()], String.t()) :: keyword()
  def keyword!(opts, allowed, fun) do
    unless is_list(opts) and Enum.all?(opts, &match?({key, _} when is_atom(key), &1)) do
      raise ArgumentError, "#{fun} expects options as a keyword list, got: #{inspect(opts)}"
    end

    case Enum.find(opts, fn {key, _} -> key not in allowed end) do
      nil ->
        opts

      {key, _} ->
        raise ArgumentError,
              "#{fun} got unknown option #{inspect(key)}; supported: " <>
                Enum.map_join(allowed, ", ", &inspect/1)
    end
  end

  @doc false
  @spec ops!(term(), String.t(), String.t()) :: [term(), ...]
  def ops!(ops, name, fun) do
    unless is_list(ops) and ops != [] and proper_list?(ops) do
      raise ArgumentError, "#{fun} expects #{name} to be a non-empty list, got: #{inspect(ops)}"
    end

    ops
  end

  defp proper_list?([]), do: true
  defp proper_list?([_ | tail]), do: proper_list?(tail)
  defp proper_list?(_), do: false
end
