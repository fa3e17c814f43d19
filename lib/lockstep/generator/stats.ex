defmodule Lockstep.Generator.Stats do
  @moduledoc false
  # Lockstep.Generator.stats/2 and the histogram of `mix lockstep.gen --stats`.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Driver, Node, Op}

  @spec stats(G.t(), non_neg_integer()) :: %{optional(term()) => pos_integer()}
  def stats(%G{} = gen, n) when is_integer(n) and n >= 0 do
    gen |> Node.take(n) |> Driver.reduce(%{}, &count/2)
  end

  def stats(%G{}, n),
    do: raise(ArgumentError, "stats/2 expects n to be a non-negative integer, got: #{inspect(n)}")

  def stats(other, _n),
    do: raise(ArgumentError, "stats/2 expects a generator, got: #{inspect(other)}")

  @doc false
  def count(op, acc), do: Map.update(acc, Op.f(op), 1, &(&1 + 1))

  @doc false
  # Rows of a terminal histogram, most frequent first (ties in term order):
  #   "cas     12  24.0% ████████▌"
  # The longest bar is `width` cells; eighth blocks give sub-cell lengths.
  @spec histogram(%{optional(term()) => non_neg_integer()}, pos_integer()) :: [String.t()]
  def histogram(counts, width \\ 40)

  def histogram(counts, width) when map_size(counts) > 0 do
    rows = Enum.sort_by(counts, fn {f, c} -> {-c, f} end)
    total = Enum.sum(Map.values(counts))
    max = rows |> hd() |> elem(1)
    label_w = rows |> Enum.map(&String.length(label(elem(&1, 0)))) |> Enum.max()
    count_w = rows |> Enum.map(&String.length(Integer.to_string(elem(&1, 1)))) |> Enum.max()

    for {f, c} <- rows do
      pct = :erlang.float_to_binary(100 * c / max(total, 1), decimals: 1)

      Enum.join(
        [
          String.pad_trailing(label(f), label_w),
          String.pad_leading(Integer.to_string(c), count_w),
          String.pad_leading(pct <> "%", 6),
          bar(if max == 0, do: 0, else: c * width * 8 / max)
        ],
        "  "
      )
    end
  end

  def histogram(_empty, _width), do: []

  defp label(f) when is_atom(f), do: Atom.to_string(f)
  defp label(f), do: inspect(f)

  @eighths ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  defp bar(eighths) do
    e = round(eighths)
    String.duplicate("█", div(e, 8)) <> Enum.at(@eighths, rem(e, 8))
  end
end
