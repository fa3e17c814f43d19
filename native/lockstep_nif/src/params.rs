//! A value leaf's params: the structs of `Lockstep.Generator.Params`
//! (lib/lockstep/generator/params.ex, where each field is defined), decoded
//! by Rustler by their field names as they come, and made into the engine's
//! leaf kind here (pure Rust, tested without the VM).

use lockstep_engine::{EngineError, LeafKind, ListAppend, Seed, Zipf};

/// `%Lockstep.Generator.Params.Integers{first, last}`.
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.Integers"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct Integers {
    pub first: Int,
    pub last: Int,
}

/// `%Lockstep.Generator.Params.Zipf{n, skew}`.
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.Zipf"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct ZipfParams {
    pub n: u64,
    pub skew: f64,
}

/// `%Lockstep.Generator.Params.Counter{start, workers, worker}`.
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.Counter"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct Counter {
    pub start: Int,
    pub workers: u64,
    pub worker: u64,
}

/// `%Lockstep.Generator.Params.Transfer{accounts, max_amount}`.
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.Transfer"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct Transfer {
    pub accounts: u64,
    pub max_amount: u64,
}

/// `%Lockstep.Generator.Params.Register{first, last, weights, table}`
/// (weights of read, write, cas).
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.Register"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct Register {
    pub first: Int,
    pub last: Int,
    pub weights: KindWeights<3>,
    pub table: bool,
}

/// `%Lockstep.Generator.Params.Bank{accounts, max_amount, weights, table}`
/// (weights of transfer, read).
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.Bank"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct Bank {
    pub accounts: u64,
    pub max_amount: u64,
    pub weights: KindWeights<2>,
    pub table: bool,
}

/// `%Lockstep.Generator.Params.ListAppend{keys, max_len, weights, skew,
/// workers, worker, table}` (weights of append, read; `skew` nil for
/// uniform keys). With `table`, the pool ends with every read micro-op
/// `[:r, key, nil]`.
#[cfg_attr(
    not(test),
    derive(rustler::NifStruct),
    rustler(decode),
    module = "Lockstep.Generator.Params.ListAppend"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct ListAppendParams {
    pub keys: u64,
    pub max_len: u32,
    pub weights: KindWeights<2>,
    pub skew: Option<f64>,
    pub workers: u64,
    pub worker: u64,
    pub table: bool,
}

/// A value leaf's params, by the struct's module (workloads first: a
/// fresh workload per iteration decodes its params on every first call).
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(decode))]
#[derive(Clone, Debug, PartialEq)]
pub enum Params {
    Register(Register),
    ListAppend(ListAppendParams),
    Bank(Bank),
    Integers(Integers),
    Counter(Counter),
    Zipf(ZipfParams),
    Transfer(Transfer),
}

/// An integer field of up to 128 bits (values, counter starts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Int(pub i128);

/// Decoded as a machine integer first (one `enif_get_int64`), as 128 bits
/// only when that fails: Rustler's `i128` decoder asks the term's type
/// twice before it tries, three calls for the common small integer.
#[cfg(not(test))]
impl<'a> rustler::Decoder<'a> for Int {
    fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
        match term.decode::<i64>() {
            Ok(small) => Ok(Int(small.into())),
            Err(_) => term.decode::<i128>().map(Int),
        }
    }
}

/// A workload's op-kind weights: `n` integers, or `:swarm` (drawn from the
/// leaf's seed, `lockstep_engine::swarm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindWeights<const N: usize> {
    Listed([u64; N]),
    Swarm,
}

impl<const N: usize> KindWeights<N> {
    /// The weights of a leaf of seed `seed`.
    pub fn of(self, seed: Seed) -> [u64; N] {
        match self {
            KindWeights::Listed(weights) => weights,
            KindWeights::Swarm => {
                let w = lockstep_engine::swarm::weights(seed, N);
                std::array::from_fn(|j| w[j])
            }
        }
    }
}

/// Decoded by hand: Rustler has no decoder for arrays, and a `Vec` would be
/// an allocation per call for three integers. A list is read cell by cell
/// (`spec_parts::u64_list`); `:swarm` only when `term` is not a list of
/// integers.
#[cfg(not(test))]
impl<'a, const N: usize> rustler::Decoder<'a> for KindWeights<N> {
    fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
        mod atoms {
            rustler::atoms! { swarm }
        }
        let mut weights = [0u64; N];
        match crate::spec_parts::u64_list(term, &mut weights) {
            Ok(n) if n == N => Ok(KindWeights::Listed(weights)),
            Ok(_) => Err(rustler::Error::BadArg),
            Err(_) => match term.decode::<rustler::Atom>()? == atoms::swarm() {
                true => Ok(KindWeights::Swarm),
                false => Err(rustler::Error::BadArg),
            },
        }
    }
}

impl Params {
    /// The engine's leaf kind of these params, for a leaf of seed `seed`.
    pub fn kind(&self, seed: Seed) -> Result<LeafKind, EngineError> {
        let tabled = |kind: LeafKind, table: bool| if table { kind.tabled() } else { Ok(kind) };
        match self {
            Params::Integers(p) => LeafKind::integers(p.first.0, p.last.0),
            Params::Counter(p) => LeafKind::counter_of(p.start.0, p.workers, p.worker),
            Params::Zipf(p) => Ok(LeafKind::Zipf(Zipf::new(p.n, p.skew)?)),
            Params::Transfer(p) => LeafKind::transfer(p.accounts, p.max_amount),
            Params::Register(p) => tabled(
                LeafKind::register(p.first.0, p.last.0, p.weights.of(seed))?,
                p.table,
            ),
            Params::Bank(p) => tabled(
                LeafKind::bank(p.accounts, p.max_amount, p.weights.of(seed))?,
                p.table,
            ),
            Params::ListAppend(p) => {
                let [append_weight, read_weight] = p.weights.of(seed);
                let key_zipf = match p.skew {
                    Some(skew) => Some(Zipf::new(p.keys, skew)?),
                    None => None,
                };
                let kind = ListAppend {
                    keys: p.keys,
                    max_len: p.max_len,
                    read_weight,
                    append_weight,
                    key_zipf,
                    workers: p.workers,
                    worker: p.worker,
                    table: false,
                };
                tabled(LeafKind::ListAppend(kind.validate()?), p.table)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Seed {
        Seed::new(0, 5)
    }

    #[test]
    fn listed_weights_are_as_given_and_swarm_weights_come_from_the_seed() {
        assert_eq!(KindWeights::Listed([1, 0, 3]).of(seed()), [1, 0, 3]);
        let swarm = lockstep_engine::swarm::weights(seed(), 3);
        assert_eq!(KindWeights::<3>::Swarm.of(seed()).to_vec(), swarm);
        let other = KindWeights::<3>::Swarm.of(Seed::new(0, 6));
        assert_eq!(
            other.to_vec(),
            lockstep_engine::swarm::weights(Seed::new(0, 6), 3)
        );
    }

    #[test]
    fn each_struct_makes_its_engine_kind() {
        let integers = Params::Integers(Integers {
            first: Int(-3),
            last: Int(9),
        });
        assert_eq!(
            format!("{:?}", integers.kind(seed()).unwrap()),
            format!("{:?}", LeafKind::integers(-3, 9).unwrap())
        );
        let counter = Params::Counter(Counter {
            start: Int(7),
            workers: 4,
            worker: 2,
        });
        assert_eq!(
            format!("{:?}", counter.kind(seed()).unwrap()),
            format!("{:?}", LeafKind::counter_of(7, 4, 2).unwrap())
        );
        let zipf = Params::Zipf(ZipfParams { n: 10, skew: 1.5 });
        assert_eq!(
            format!("{:?}", zipf.kind(seed()).unwrap()),
            format!("{:?}", LeafKind::Zipf(Zipf::new(10, 1.5).unwrap()))
        );
        let transfer = Params::Transfer(Transfer {
            accounts: 4,
            max_amount: 10,
        });
        assert_eq!(
            format!("{:?}", transfer.kind(seed()).unwrap()),
            format!("{:?}", LeafKind::transfer(4, 10).unwrap())
        );
        let bank = Params::Bank(Bank {
            accounts: 4,
            max_amount: 3,
            weights: KindWeights::Listed([2, 1]),
            table: false,
        });
        assert_eq!(
            format!("{:?}", bank.kind(seed()).unwrap()),
            format!("{:?}", LeafKind::bank(4, 3, [2, 1]).unwrap())
        );
    }

    #[test]
    fn table_true_picks_from_the_op_table() {
        let register = |table| Register {
            first: Int(1),
            last: Int(5),
            weights: KindWeights::Swarm,
            table,
        };
        let plain = Params::Register(register(false)).kind(seed()).unwrap();
        let tabled = Params::Register(register(true)).kind(seed()).unwrap();
        assert_eq!(plain.op_table_len(), tabled.op_table_len());
        assert_eq!(
            format!("{tabled:?}"),
            format!("{:?}", plain.clone().tabled().unwrap())
        );
        assert_ne!(format!("{tabled:?}"), format!("{plain:?}"));
    }

    #[test]
    fn list_append_keys_are_zipf_unless_skew_is_nil() {
        let list_append = |skew| ListAppendParams {
            keys: 8,
            max_len: 4,
            weights: KindWeights::Listed([1, 2]),
            skew,
            workers: 3,
            worker: 1,
            table: false,
        };
        let Ok(LeafKind::ListAppend(zipf)) =
            Params::ListAppend(list_append(Some(1.0))).kind(seed())
        else {
            panic!("not a list-append kind")
        };
        assert!(zipf.key_zipf.is_some());
        assert_eq!((zipf.append_weight, zipf.read_weight), (1, 2));
        assert_eq!((zipf.workers, zipf.worker), (3, 1));
        let Ok(LeafKind::ListAppend(uniform)) = Params::ListAppend(list_append(None)).kind(seed())
        else {
            panic!("not a list-append kind")
        };
        assert!(uniform.key_zipf.is_none());
    }

    #[test]
    fn engine_checks_still_apply() {
        let bad = Params::Integers(Integers {
            first: Int(9),
            last: Int(3),
        });
        assert!(bad.kind(seed()).is_err());
        let worker_past_workers = Params::Counter(Counter {
            start: Int(0),
            workers: 2,
            worker: 2,
        });
        assert!(worker_past_workers.kind(seed()).is_err());
        let no_weight = Params::Bank(Bank {
            accounts: 3,
            max_amount: 2,
            weights: KindWeights::Listed([0, 0]),
            table: false,
        });
        assert!(no_weight.kind(seed()).is_err());
    }
}
