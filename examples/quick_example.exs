# The quick example from the Lockstep.Generator docs, running as written.
# `Lockstep.History` belongs to the Lockstep test library; a tiny stand-in
# (an Agent recording invoke/ok events) takes its place here.
#
#     mix run examples/quick_example.exs

defmodule Lockstep.History do
  @moduledoc "Stand-in for Lockstep.History: records {f, value, result} in an Agent."
  def start, do: elem(Agent.start_link(fn -> [] end), 1)

  def op(history, f, value, fun) do
    result = fun.()
    Agent.update(history, &[{f, value, result} | &1])
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

    alias Lockstep.Generator.Op

    count =
      Lockstep.Generator.each(gen, fn op ->
        Lockstep.History.op(history, Op.f(op), Op.value(op), fn ->
          apply_op(reg, op)
        end)
      end)

    # --- end of the docs' example ---

    events = Lockstep.History.events(history)
    IO.puts("#{inspect(gen)} produced #{count} ops; first ten:")

    for {f, value, result} <- Enum.take(events, 10),
        do: IO.puts("  #{f} #{inspect(value)} -> #{inspect(result)}")

    IO.puts("by f: #{inspect(Enum.frequencies_by(events, &elem(&1, 0)))}")
  end
end

QuickExample.run()
