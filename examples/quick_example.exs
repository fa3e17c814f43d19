# The quick example from the Lockstep.Generator docs, running as written.
# `Lockstep.History` belongs to the Lockstep test library; a tiny stand-in
# (an Agent recording invoke/ok events) takes its place here.
#
#     mix run examples/quick_example.exs

defmodule Lockstep.History do
  @moduledoc "Stand-in for Lockstep.History: records {kind, args, result} in an Agent."
  def start, do: elem(Agent.start_link(fn -> [] end), 1)

  def op(history, kind, args, fun) do
    result = fun.()
    Agent.update(history, &[{kind, args, result} | &1])
    result
  end

  def events(history), do: Agent.get(history, &Enum.reverse/1)
end

defmodule Register do
  @moduledoc "A register to run ops against."
  def start, do: elem(Agent.start_link(fn -> nil end), 1)

  def apply_op(reg, :read), do: {:ok, Agent.get(reg, & &1)}
  def apply_op(reg, {:write, v}), do: Agent.update(reg, fn _ -> v end)

  def apply_op(reg, {:cas, old, new}) do
    Agent.get_and_update(reg, fn
      ^old -> {:ok, new}
      cur -> {{:error, :mismatch}, cur}
    end)
  end

  def op_kind(op) when is_atom(op), do: op
  def op_kind(op), do: elem(op, 0)
  def op_args(op) when is_atom(op), do: []
  def op_args(op), do: op |> Tuple.delete_at(0) |> Tuple.to_list()
end

defmodule QuickExample do
  import Register

  def run do
    history = Lockstep.History.start()
    reg = Register.start()

    # --- as in the docs ---
    gen =
      Lockstep.Generator.random(
        [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}],
        seed: 42
      )
      |> Lockstep.Generator.take(50)

    count =
      Lockstep.Generator.each(gen, fn op ->
        Lockstep.History.op(history, op_kind(op), op_args(op), fn ->
          apply_op(reg, op)
        end)
      end)

    # --- end of the docs' example ---

    events = Lockstep.History.events(history)
    IO.puts("#{inspect(gen)} produced #{count} ops; first ten:")

    for {kind, args, result} <- Enum.take(events, 10),
        do: IO.puts("  #{kind} #{inspect(args)} -> #{inspect(result)}")

    IO.puts("by kind: #{inspect(Enum.frequencies_by(events, &elem(&1, 0)))}")
  end
end

QuickExample.run()
