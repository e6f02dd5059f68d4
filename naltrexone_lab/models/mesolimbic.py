"""Mesolimbic disinhibition: how a mu agonist raises accumbens dopamine, and how naltrexone stops it.

A feed-forward firing-rate circuit with four stages:

1. **Mu activation** ``a`` of receptors on GABA neurons, from the operational model with several
   agonists competing with naltrexone (chapter 1)::

       x_i = C_i / K_i        a = sum(tau_i x_i) / (1 + sum(x_i) + x_N + sum(tau_i x_i))

   Agonists are the opioid taken and an endogenous opioid tone (beta-endorphin); ``x_N`` is
   naltrexone's concentration over its Kd. Each ``x`` is given here by the occupancy the ligand
   would reach *alone*, ``x = o / (1 - o)``, so chapter 2's occupancy model supplies naltrexone.
2. **Two GABA populations** that inhibit dopamine neurons: local VTA interneurons and the
   rostromedial tegmental nucleus (RMTg, the "tail of the VTA"). Each fires at
   ``r = F(d - s a)``, where ``F`` is a sigmoidal rate function, ``d`` its drive and ``s`` its mu
   sensitivity. ``s`` is set so that saturating morphine removes the measured fraction of that
   population's inhibition of dopamine neurons (Matsui et al. 2014).
3. **The dopamine neuron** fires at ``r_D = F_D(d_D - w g)``, where ``g`` is the GABA inhibition it
   receives, normalised to 1 with no mu activation:
   ``g = rho r_RMTg / r_RMTg,0 + (1 - rho) r_local / r_local,0``. ``rho`` is the RMTg share.
4. **Accumbens dopamine** from release proportional to firing and two ways out: saturable uptake
   by the dopamine transporter (DAT) and a small first-order loss (diffusion and other
   transporters)::

       dC/dt = k_rel r_D - Vmax C / (Km + C) - k_loss C

   At steady state this is a quadratic in ``C`` with one positive root (:func:`nac_dopamine_nM`).

Each rate relaxes to its target with a time constant of milliseconds, and uptake clears
dopamine in about 0.1 s. A drug changes over minutes to hours, so on that time scale the circuit
always sits at its steady state. Time courses after a dose therefore evaluate the steady state
at each instant. :func:`simulate_circuit` integrates the full ODE, and a test checks that the
two agree.

Calibration (what the free parameters were chosen to reproduce, and what they were not):

* Baseline, with the endogenous tone and no drug: dopamine neuron 4 Hz (Grace & Bunney 1984);
  accumbens dopamine 4 nM (no-net-flux microdialysis, Parsons & Justice 1992). Both hold for any
  RMTg share, because the dopamine neuron's drive is solved from them.
* The inhibitory weight ``w`` is set once, at the reference parameters, so that saturating
  morphine (heroin acts through its metabolites 6-acetylmorphine and morphine) raises accumbens
  dopamine to 300% of baseline. That is the top of the "150-300%" seen during heroin
  self-administration (Wise et al. 1995), read as % of baseline; the abstract does not say
  whether it means % of baseline or % increase, and the lower reading is the cautious one.
  A morphine challenge then spans the published range through its occupancy: +35% after
  morphine 5 mg/kg s.c. in naive rats (Acquas & Di Chiara 1992) is reached at a low occupancy
  (see :func:`occupancy_for_rise`).
* The endogenous tone (beta-endorphin occupancy) is set so that naltrexone alone, at the
  occupancy of 50 mg/day, lowers accumbens dopamine by about 8%. That a tone exists is
  measured: blocking mu receptors in the VTA with CTOP lowers basal accumbens dopamine
  (Spanagel, Herz & Shippenberg 1992 PNAS 89:2046). Its size after oral naltrexone was not
  found in the course's sources, so 8% is a modelling choice, not a measurement.

Not modelled: burst firing (which releases more dopamine per spike than tonic firing), D2
autoreceptors, the NAc and other GABA inputs, kappa receptors (whose agonists lower accumbens
dopamine: Di Chiara & Imperato 1988), and opioid actions outside the VTA.

References
----------
Johnson SW, North RA (1992) J Neurosci 12:483-488 (mu agonists hyperpolarise VTA secondary
(GABA) cells, not dopamine cells; IPSPs onto dopamine cells fall).
Jalabert M, Bourdy R, Courtin J, et al. (2011) PNAS 108:16446-16450 (morphine inhibits RMTg GABA
neurons, disinhibiting dopamine neurons).
Matsui A, Jarvie BC, Robinson BG, Hentges ST, Williams JT (2014) Neuron 82:1346-1356 (mu agonist
reduces GABA IPSCs onto dopamine neurons: RMTg -46%, NAc -18%, local -11%).
Grace AA, Bunney BS (1984) J Neurosci 4:2866-2876 (tonic firing about 4 Hz).
Parsons LH, Justice JB Jr (1992) J Neurochem 58:212-218 (basal accumbens dopamine about 4 nM).
Acquas E, Di Chiara G (1992) J Neurochem 58:1620-1625.
Wise RA, Leone P, Rivest R, Leeb K (1995) Synapse 21:140-148 (heroin self-administration).
Spanagel R, Herz A, Shippenberg TS (1992) PNAS 89:2046-2050 (tonic endogenous opioid actions
on accumbens dopamine).
Suaud-Chagny MF, Dugast C, Chergui K, et al. (1995) J Neurochem 65:2603-2611 (dopamine clearance
half-time 113 ms in the rat accumbens).
Lee RS, Steffensen SC, Henriksen SJ (2001) J Neurosci 21:1757-1766 (VTA GABA neurons 29 Hz).
Giros B, Jaber M, Jones SR, Wightman RM, Caron MG (1996) Nature 379:606-612 (DAT knockout).
Dayan P, Abbott LF (2001) Theoretical Neuroscience, MIT Press, ch. 7 (firing-rate models).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, fields, replace

import numpy as np

from ._lazy import integrate, optimize
from ._validation import (
    as_float_array,
    broadcast,
    check_choice,
    check_fraction,
    check_in_range,
    check_nonnegative,
    check_positive,
    scalar_or_array,
)
from .binding import tau_at_density
from .ligands import get_ligand, ligand_names
from .occupancy import MODELS, blockade_summary

__all__ = [
    "DEFAULT_CIRCUIT",
    "LOCAL_MU_INHIBITION_PICTURES",
    "OPIOID_KINETICS",
    "CircuitParameters",
    "CircuitState",
    "OpioidKinetics",
    "TimeCourse",
    "baseline",
    "circuit_derivatives",
    "concentration_ratio",
    "dopamine_response",
    "drive_for_rate",
    "mu_activation",
    "naltrexone_trough_occupancy",
    "nac_dopamine_nM",
    "fraction_of_rise_blocked",
    "share_of_rise_blocked",
    "occupancy_for_rise",
    "opioid_concentration_ratio",
    "percent_of_baseline",
    "release_per_spike_for",
    "resting_dopamine_nM",
    "opioid_occupancy_profile",
    "percent_change",
    "sigmoid_rate",
    "simulate_circuit",
    "steady_state",
    "time_course",
]

#: Occupancy standing for "saturating" (the formulas need occupancy < 1).
_SATURATING = 1.0 - 1e-9

#: Opioids the circuit chapter offers: the agonists of the ligand table (chapter 1).
OPIOIDS = ("morphine", "fentanyl", "buprenorphine")


# --- stage 0: the rate function ------------------------------------------------------------------
def sigmoid_rate(drive, max_rate_Hz):
    """Firing rate (Hz) of a population for a net input ``drive``: ``F(u) = r_max / (1 + e^-u)``.

    ``drive`` is dimensionless (in units of the sigmoid's width, with half the maximum rate at 0).
    A sigmoid keeps rates between 0 and the maximum a neuron can sustain.

    Parameters
    ----------
    drive : float or ndarray, dimensionless
        Net input (any real number).
    max_rate_Hz : float or ndarray, Hz
        Maximum rate (> 0).

    Examples
    --------
    >>> float(sigmoid_rate(0.0, 20.0))
    10.0
    >>> round(float(sigmoid_rate(math.log(4 / 16), 20.0)), 6)
    4.0
    """
    u = as_float_array("drive", drive)
    if np.isinf(u).any():
        raise ValueError("drive must be finite")
    r_max = check_positive("max_rate_Hz", max_rate_Hz)
    u, r_max = broadcast(drive=u, max_rate_Hz=r_max)
    # 0.5 * (1 + tanh(u/2)) is the logistic without overflow for large |u|
    return scalar_or_array(r_max * 0.5 * (1.0 + np.tanh(0.5 * u)))


def drive_for_rate(rate_Hz, max_rate_Hz):
    """Inverse of :func:`sigmoid_rate`: the drive giving ``rate_Hz`` (0 < rate < max)."""
    r_max = check_positive("max_rate_Hz", max_rate_Hz)
    r = check_positive("rate_Hz", rate_Hz)
    if np.any(r >= r_max):
        raise ValueError(f"rate_Hz must be below max_rate_Hz ({float(np.min(r_max))} Hz); got {rate_Hz!r}")
    return scalar_or_array(np.log(r / (r_max - r)))


# --- stage 1: mu activation ----------------------------------------------------------------------
def concentration_ratio(occupancy):
    """``C / Kd`` of a ligand that alone would occupy the fraction ``occupancy`` (in [0, 1)).

    Examples
    --------
    >>> float(concentration_ratio(0.5))
    1.0
    """
    o = check_fraction("occupancy", occupancy, open_high=True)
    return scalar_or_array(o / (1.0 - o))


def mu_activation(opioid_occupancy=0.0, naltrexone_occupancy=0.0, *, opioid: str = "morphine",
                  endogenous_occupancy: float | None = None, endogenous: str = "beta-endorphin",
                  receptor_density=1.0, endogenous_level=1.0):
    """Fraction of the maximal mu response (0-1) on GABA neurons, from the operational model.

    ``a = (tau_A x_A + tau_E x_E) / (1 + x_A + x_E + x_N + tau_A x_A + tau_E x_E)``

    where ``x = o / (1 - o)`` for each ligand's occupancy when alone and ``tau`` is its operational
    efficacy at mu from the ligand table (chapter 1). This is Black & Leff's operational model
    (transducer slope 1) with Gaddum competition among all ligands.

    Parameters
    ----------
    opioid_occupancy : float or ndarray, fraction in [0, 1)
        Mu occupancy the opioid would reach with nothing else bound.
    naltrexone_occupancy : float or ndarray, fraction in [0, 1)
        Mu occupancy naltrexone alone would reach (chapter 2 gives it for a dose).
    opioid : str
        An agonist from the ligand table: morphine, fentanyl or buprenorphine.
    endogenous_occupancy : float, fraction in [0, 1), optional
        Occupancy by the endogenous opioid alone; default :attr:`CircuitParameters.endogenous_occupancy`.
    endogenous : str
        The endogenous ligand standing for the opioid tone (beta-endorphin or met-enkephalin).
    receptor_density : float or ndarray, fraction of normal (> 0)
        Functional mu receptors relative to a drug-naive brain. Efficacy scales with density,
        ``tau = tau_ref * density`` (chapter 1, :func:`naltrexone_lab.binding.tau_at_density`);
        chapter 4 changes it.
    endogenous_level : float or ndarray, fraction of normal (>= 0)
        Endogenous opioid concentration relative to normal; it scales ``x_E`` (chapter 5).

    References
    ----------
    Black JW, Leff P (1983) Proc R Soc Lond B 220:141-162. Gaddum JH (1937) J Physiol 89:7P.

    Examples
    --------
    >>> round(float(mu_activation(0.5, 0.0, endogenous_occupancy=0.0)), 3)  # morphine, tau 8
    0.8
    >>> round(float(mu_activation(0.5, 0.5, endogenous_occupancy=0.0)), 3)  # naltrexone competes
    0.727
    """
    opioid = check_choice("opioid", opioid, OPIOIDS)
    endogenous = check_choice("endogenous", endogenous,
                              [n for n in ligand_names(agonists_only=True) if n not in OPIOIDS])
    if endogenous_occupancy is None:
        endogenous_occupancy = DEFAULT_CIRCUIT.endogenous_occupancy
    x_a = concentration_ratio(_named(opioid_occupancy, "opioid_occupancy"))
    x_n = concentration_ratio(_named(naltrexone_occupancy, "naltrexone_occupancy"))
    x_e: float | np.ndarray = float(concentration_ratio(_named(endogenous_occupancy, "endogenous_occupancy")))
    density = check_positive("receptor_density", receptor_density)
    level = check_nonnegative("endogenous_level", endogenous_level)
    x_a, x_n, density, level = broadcast(opioid_occupancy=np.asarray(x_a),
                                         naltrexone_occupancy=np.asarray(x_n),
                                         receptor_density=density, endogenous_level=level)
    x_e = x_e * level
    tau_a = tau_at_density(get_ligand(opioid).mu_tau, density)
    tau_e = tau_at_density(get_ligand(endogenous).mu_tau, density)
    stimulus = tau_a * x_a + tau_e * x_e
    return scalar_or_array(stimulus / (1.0 + x_a + x_e + x_n + stimulus))


def _named(value, name):
    """Re-raise a fraction error under the caller's parameter name."""
    try:
        return check_fraction(name, value, open_high=True)
    except ValueError as err:
        raise ValueError(str(err)) from None


# --- parameters ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CircuitParameters:
    """Parameters of the VTA-accumbens circuit, each with its unit and source.

    Attributes
    ----------
    dopamine_baseline_Hz : float, Hz
        Tonic firing of VTA dopamine neurons at rest: about 4 Hz (range about 1-6 Hz).
        Grace & Bunney 1984 J Neurosci 4:2866, read in secondary citations (M).
    dopamine_max_Hz : float, Hz
        Highest mean rate the model lets a dopamine neuron sustain. 20 Hz lies inside the
        intraburst range of 14-30 Hz, which a mean rate cannot exceed
        (Grace & Bunney 1984; Deister et al. 2009 J Neurosci 29:15888) (M).
    local_gaba_baseline_Hz : float, Hz
        Local VTA GABA neurons with no mu activation: 29 Hz, their mean rate in awake rats
        (29 +/- 6 Hz; Lee, Steffensen & Henriksen 2001 J Neurosci 21:1757) (H).
    rmtg_baseline_Hz : float, Hz
        RMTg GABA neurons with no mu activation: 15 Hz, the middle of the 10-20 Hz usually
        described for these fast-firing cells (Jhou et al. 2009 Neuron 61:786; value recalled,
        not re-read) (L).
    gaba_max_Hz : float, Hz
        Highest rate of either GABA population: 60 Hz, the top of the roughly 10-60 Hz range
        usually described for VTA GABA neurons in vivo (no single source; L: a ceiling for the
        sigmoid, not a measured maximum).
    local_mu_inhibition, rmtg_mu_inhibition : float, fraction
        Fraction of each population's inhibition of dopamine neurons removed by morphine.
        Matsui et al. 2014 Neuron 82:1346: local -11%, RMTg -46% (IPSC amplitude, rat slices,
        optogenetic activation of each input) (H). The model assumes the morphine
        concentration used was saturating (the concentration was not re-read). The classic picture (Johnson &
        North 1992) puts the brake in local interneurons; to explore it, raise
        ``local_mu_inhibition``.
    rmtg_share : float, fraction
        Share of the GABA inhibition of dopamine neurons that comes from the RMTg at rest. The RMTg
        is described as a major inhibitory input (Jhou et al. 2009; Bourdy & Barrot 2012 Trends
        Neurosci 35:681). The share itself has not been measured; 0.7 is a teaching value (L).
    inhibition_weight : float, dimensionless
        Drive removed from the dopamine neuron per unit of normalised GABA inhibition.
        Calibrated (:func:`calibrate_inhibition_weight`, re-checked by a test) so that, at the
        default parameters, saturating morphine gives 300% of baseline accumbens dopamine: the
        top of 150-300% during heroin self-administration (Wise et al. 1995 Synapse 21:140).
    gaba_time_constant_s, dopamine_time_constant_s : float, s
        Relaxation time constants of the rate equations: 10 ms and 20 ms, of the order of the
        membrane time constant (Dayan & Abbott 2001, ch. 7) (M).
    nac_baseline_nM : float, nM
        Extracellular accumbens dopamine at rest: 4 nM by no-net-flux microdialysis (Parsons &
        Justice 1992 J Neurochem 58:212) (H). Other methods give higher values; the chapter's
        evidence section discusses this.
    dat_km_nM : float, nM
        DAT Michaelis constant in vivo: 200 nM, the value voltammetry fits usually fix (Wu et al.
        2001 J Neurosci Methods 112:119; recalled, not re-read) (L); 320 +/- 80 nM was measured
        in mouse by kinetic calibration (Atcherley et al. 2015 ACS Chem Neurosci 6:1509) (H).
    dat_vmax_nM_per_s : float, nM/s
        DAT maximal uptake rate in the accumbens: 1200 nM/s, chosen so that clearance at low
        concentration has the half-time measured in the rat accumbens, 113 ms (``ln 2 /
        (Vmax/Km + k_loss)``; Suaud-Chagny et al. 1995 J Neurochem 65:2603, amperometry in vivo)
        (M). This lies in the 1-3 uM/s range usually quoted for the accumbens (recalled).
    other_clearance_per_s : float, 1/s
        First-order loss that does not go through DAT (diffusion, other transporters). Without
        DAT, dopamine persists at least 100 times longer (Giros et al. 1996 Nature 379:606), so
        this is 1/100 of DAT's low-concentration rate Vmax/Km (M).
    endogenous_occupancy : float, fraction
        Mu occupancy by the endogenous opioid tone (as beta-endorphin). Not measured; chosen so
        that naltrexone alone at the occupancy of 50 mg/day lowers accumbens dopamine by about
        8% (L; see the module docstring: Spanagel et al. 1992 show the tone exists).
    """

    dopamine_baseline_Hz: float = 4.0
    dopamine_max_Hz: float = 20.0
    local_gaba_baseline_Hz: float = 29.0
    rmtg_baseline_Hz: float = 15.0
    gaba_max_Hz: float = 60.0
    local_mu_inhibition: float = 0.11
    rmtg_mu_inhibition: float = 0.46
    rmtg_share: float = 0.7
    inhibition_weight: float = 5.1032
    gaba_time_constant_s: float = 0.010
    dopamine_time_constant_s: float = 0.020
    nac_baseline_nM: float = 4.0
    dat_km_nM: float = 200.0
    dat_vmax_nM_per_s: float = 1200.0
    other_clearance_per_s: float = 0.06
    endogenous_occupancy: float = 0.0024

    def __post_init__(self):
        fractions = {"local_mu_inhibition", "rmtg_mu_inhibition", "rmtg_share",
                     "endogenous_occupancy", "other_clearance_per_s"}
        for f in fields(self):
            if f.name not in fractions:
                check_positive(f.name, getattr(self, f.name))
        check_nonnegative("other_clearance_per_s", self.other_clearance_per_s)
        check_fraction("rmtg_share", self.rmtg_share)
        check_fraction("endogenous_occupancy", self.endogenous_occupancy, open_high=True)
        for name in ("local_mu_inhibition", "rmtg_mu_inhibition"):
            check_fraction(name, getattr(self, name), open_high=True)
        if self.dopamine_baseline_Hz >= self.dopamine_max_Hz:
            raise ValueError(f"dopamine_baseline_Hz must be below dopamine_max_Hz "
                             f"({self.dopamine_max_Hz} Hz); got {self.dopamine_baseline_Hz}")
        for name in ("local_gaba_baseline_Hz", "rmtg_baseline_Hz"):
            if getattr(self, name) >= self.gaba_max_Hz:
                raise ValueError(f"{name} must be below gaba_max_Hz ({self.gaba_max_Hz} Hz); "
                                 f"got {getattr(self, name)}")

    # derived quantities (all closed form), each computed once per parameter set: the class is
    # frozen, so they cannot go stale, and a widget update reads them hundreds of times
    @functools.cached_property
    def local_drive(self) -> float:
        """Drive of local GABA neurons with no mu activation (dimensionless)."""
        return float(drive_for_rate(self.local_gaba_baseline_Hz, self.gaba_max_Hz))

    @functools.cached_property
    def rmtg_drive(self) -> float:
        """Drive of RMTg GABA neurons with no mu activation (dimensionless)."""
        return float(drive_for_rate(self.rmtg_baseline_Hz, self.gaba_max_Hz))

    @functools.cached_property
    def local_mu_shift(self) -> float:
        """Drive removed from local GABA neurons per unit mu activation (dimensionless), set so
        that saturating morphine removes ``local_mu_inhibition`` of their output."""
        return self._shift(self.local_gaba_baseline_Hz, self.local_mu_inhibition)

    @functools.cached_property
    def rmtg_mu_shift(self) -> float:
        """Drive removed from RMTg GABA neurons per unit mu activation (dimensionless), set so
        that saturating morphine removes ``rmtg_mu_inhibition`` of their output."""
        return self._shift(self.rmtg_baseline_Hz, self.rmtg_mu_inhibition)

    def _shift(self, rate_Hz: float, fraction: float) -> float:
        # Matsui et al. measured saturating morphine, whose activation is tau / (1 + tau) < 1
        tau = get_ligand("morphine").mu_tau
        drop = float(drive_for_rate(rate_Hz, self.gaba_max_Hz)
                     - drive_for_rate((1.0 - fraction) * rate_Hz, self.gaba_max_Hz))
        return drop * (1.0 + tau) / tau

    @functools.cached_property
    def endogenous_activation(self) -> float:
        """Mu activation by the endogenous tone alone (fraction of the maximal response)."""
        return float(mu_activation(0.0, 0.0, endogenous_occupancy=self.endogenous_occupancy))

    @functools.cached_property
    def dopamine_drive(self) -> float:
        """Excitatory drive of the dopamine neuron, solved so that it fires at its baseline
        rate under the endogenous tone alone (dimensionless)."""
        g0 = float(_inhibition(self, self.endogenous_activation))
        return float(drive_for_rate(self.dopamine_baseline_Hz, self.dopamine_max_Hz)) + \
            self.inhibition_weight * g0

    @property
    def dat_first_order_per_s(self) -> float:
        """DAT clearance rate constant at low concentration, Vmax / Km (1/s)."""
        return self.dat_vmax_nM_per_s / self.dat_km_nM

    @functools.cached_property
    def release_nM_per_s_per_Hz(self) -> float:
        """Dopamine released into the accumbens per unit firing rate, solved from the baseline
        (release = clearance at 4 Hz and 4 nM) (nM/s per Hz, i.e. nM per spike)."""
        c = self.nac_baseline_nM
        clearance = self.dat_vmax_nM_per_s * c / (self.dat_km_nM + c) + self.other_clearance_per_s * c
        return clearance / self.dopamine_baseline_Hz


#: The circuit with every parameter at its published default: what a function given no
#: ``params`` uses (one instance, so its derived quantities are computed once).
DEFAULT_CIRCUIT = CircuitParameters()

#: The two pictures of the brake that chapter 3 compares: how much a saturating mu agonist
#: lowers the output of the local (VTA) GABA interneurons, fraction. Matsui et al. 2014 (Neuron
#: 82:1346, rat slices) measured 11% for local and 46% for RMTg inputs (the revised picture);
#: the classic picture gives the local input the RMTg's 46%.
LOCAL_MU_INHIBITION_PICTURES = {"revised": CircuitParameters.local_mu_inhibition,
                                "classic": CircuitParameters.rmtg_mu_inhibition}


def _inhibition(p: CircuitParameters, activation, local_Hz=None, rmtg_Hz=None):
    """Normalised GABA inhibition of dopamine neurons (1 with no mu activation)."""
    if local_Hz is None:
        local_Hz = sigmoid_rate(p.local_drive - p.local_mu_shift * activation, p.gaba_max_Hz)
        rmtg_Hz = sigmoid_rate(p.rmtg_drive - p.rmtg_mu_shift * activation, p.gaba_max_Hz)
    return (p.rmtg_share * rmtg_Hz / p.rmtg_baseline_Hz
            + (1.0 - p.rmtg_share) * local_Hz / p.local_gaba_baseline_Hz)


# --- stage 4: accumbens dopamine -----------------------------------------------------------------
def nac_dopamine_nM(release_nM_per_s, vmax_nM_per_s, km_nM, other_clearance_per_s=0.0):
    """Steady-state extracellular dopamine (nM) where release equals clearance.

    ``R = Vmax C / (Km + C) + k C``  gives  ``k C^2 + (Vmax + k Km - R) C - R Km = 0``,

    whose positive root is returned (the other root is negative). With ``k = 0`` it reduces to
    ``C = R Km / (Vmax - R)``, which exists only while release is below Vmax: with uptake alone
    a neuron firing fast enough would raise dopamine without limit.

    Parameters
    ----------
    release_nM_per_s : float or ndarray, nM/s
        Release rate R (>= 0).
    vmax_nM_per_s : float, nM/s
        DAT maximal uptake rate (> 0).
    km_nM : float, nM
        DAT Michaelis constant (> 0).
    other_clearance_per_s : float, 1/s
        First-order clearance k not through DAT (>= 0).

    Examples
    --------
    >>> round(float(nac_dopamine_nM(23.769, 1200.0, 200.0, 0.06)), 3)
    4.0
    >>> float(nac_dopamine_nM(1000.0, 2000.0, 200.0))  # uptake only: R Km / (Vmax - R)
    200.0
    """
    r = check_nonnegative("release_nM_per_s", release_nM_per_s)
    vmax = check_positive("vmax_nM_per_s", vmax_nM_per_s)
    km = check_positive("km_nM", km_nM)
    k = check_nonnegative("other_clearance_per_s", other_clearance_per_s)
    r, vmax, km, k = broadcast(release_nM_per_s=r, vmax_nM_per_s=vmax, km_nM=km,
                               other_clearance_per_s=k)
    if np.any((k == 0) & (r >= vmax)):
        raise ValueError("release_nM_per_s must be below vmax_nM_per_s when other_clearance_per_s "
                         f"is 0 (no steady state otherwise); got release {release_nM_per_s!r}, "
                         f"Vmax {vmax_nM_per_s!r}")
    b = vmax + k * km - r
    root = np.sqrt(b * b + 4.0 * k * r * km)
    # the positive root in whichever form does not cancel: 2 R Km / (b + root) when b >= 0,
    # (root - b) / (2 k) when b < 0 (then k > 0, checked above)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(b >= 0, 2.0 * r * km / np.where(b + root > 0, b + root, 1.0),
                     (root - b) / (2.0 * np.where(k > 0, k, 1.0)))
    return scalar_or_array(c)


# --- the whole circuit ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CircuitState:
    """Rates and accumbens dopamine (arrays broadcast over the inputs).

    Attributes
    ----------
    mu_activation : ndarray, fraction of the maximal mu response
    local_gaba_Hz, rmtg_gaba_Hz, dopamine_Hz : ndarray, Hz
    inhibition : ndarray, dimensionless (1 = GABA inhibition with no mu activation)
    nac_dopamine_nM : ndarray, nM
    """

    mu_activation: np.ndarray
    local_gaba_Hz: np.ndarray
    rmtg_gaba_Hz: np.ndarray
    inhibition: np.ndarray
    dopamine_Hz: np.ndarray
    nac_dopamine_nM: np.ndarray


def steady_state(activation, params: CircuitParameters | None = None) -> CircuitState:
    """Solve the circuit's steady state for mu activation ``activation`` (fraction, 0-1).

    The circuit is feed-forward, so the fixed point follows stage by stage in closed form:
    GABA rates, their inhibition of the dopamine neuron, its rate, then the quadratic for
    accumbens dopamine. A test checks that it is a fixed point of :func:`circuit_derivatives`.

    Examples
    --------
    >>> s = steady_state(CircuitParameters().endogenous_activation)
    >>> round(float(s.dopamine_Hz), 6), round(float(s.nac_dopamine_nM), 6)
    (4.0, 4.0)
    """
    p = params or DEFAULT_CIRCUIT
    a = check_fraction("activation", activation)
    local = sigmoid_rate(p.local_drive - p.local_mu_shift * a, p.gaba_max_Hz)
    rmtg = sigmoid_rate(p.rmtg_drive - p.rmtg_mu_shift * a, p.gaba_max_Hz)
    g = _inhibition(p, a, local, rmtg)
    da = sigmoid_rate(p.dopamine_drive - p.inhibition_weight * g, p.dopamine_max_Hz)
    c = nac_dopamine_nM(p.release_nM_per_s_per_Hz * da, p.dat_vmax_nM_per_s, p.dat_km_nM,
                        p.other_clearance_per_s)
    return CircuitState(*(np.asarray(v, dtype=float) for v in (a, local, rmtg, g, da, c)))


def baseline(params: CircuitParameters | None = None) -> CircuitState:
    """The steady state with the endogenous opioid tone and no drug."""
    p = params or DEFAULT_CIRCUIT
    return steady_state(p.endogenous_activation, p)


def circuit_derivatives(state, activation, params: CircuitParameters | None = None) -> np.ndarray:
    """Right-hand side of the circuit's ODE for state ``(r_local, r_RMTg, r_DA, C)`` (Hz, Hz, Hz,
    nM), returning time derivatives in Hz/s, Hz/s, Hz/s and nM/s::

        tau_G dr_X/dt = -r_X + F_G(d_X - s_X a)
        tau_D dr_D/dt = -r_D + F_D(d_D - w g)
        dC/dt = k_rel r_D - Vmax C / (Km + C) - k_loss C
    """
    p = params or DEFAULT_CIRCUIT
    y = as_float_array("state", state)
    if y.shape[0] != 4:
        raise ValueError(f"state must hold 4 values (r_local, r_RMTg, r_DA, C); got shape {y.shape}")
    a = check_fraction("activation", activation)
    local, rmtg, da, c = y
    if np.any(y < 0):
        raise ValueError(f"state must be >= 0 (rates and concentration); got {y.tolist()}")
    tau_g = p.gaba_time_constant_s
    d_local = (-local + sigmoid_rate(p.local_drive - p.local_mu_shift * a, p.gaba_max_Hz)) / tau_g
    d_rmtg = (-rmtg + sigmoid_rate(p.rmtg_drive - p.rmtg_mu_shift * a, p.gaba_max_Hz)) / tau_g
    g = _inhibition(p, a, local, rmtg)
    d_da = (-da + sigmoid_rate(p.dopamine_drive - p.inhibition_weight * g, p.dopamine_max_Hz)) \
        / p.dopamine_time_constant_s
    d_c = (p.release_nM_per_s_per_Hz * da - p.dat_vmax_nM_per_s * c / (p.dat_km_nM + c)
           - p.other_clearance_per_s * c)
    return np.array([d_local, d_rmtg, d_da, d_c], dtype=float)


def simulate_circuit(time_s, activation, params: CircuitParameters | None = None,
                     initial: CircuitState | None = None) -> CircuitState:
    """Integrate the full circuit ODE on the grid ``time_s`` (s).

    ``activation`` is mu activation sampled on the same grid (linearly interpolated between
    samples) or a single value. The state starts at ``initial`` (default: the baseline). Uses
    scipy's LSODA with tight tolerances because the circuit (milliseconds) is much faster than
    a drug's time course (hours).
    """
    p = params or DEFAULT_CIRCUIT
    t = check_nonnegative("time_s", time_s)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
        raise ValueError("time_s must be a 1-D, strictly increasing array of at least 2 times")
    a = check_fraction("activation", activation)
    a = np.broadcast_to(a, t.shape) if a.ndim == 0 else a
    if a.shape != t.shape:
        raise ValueError(f"activation must be one value or match time_s in shape {t.shape}; got {a.shape}")
    s0 = initial or baseline(p)
    y0 = [float(s0.local_gaba_Hz), float(s0.rmtg_gaba_Hz), float(s0.dopamine_Hz),
          float(s0.nac_dopamine_nM)]
    sol = integrate.solve_ivp(
        lambda tt, y: circuit_derivatives(np.maximum(y, 0.0), float(np.interp(tt, t, a)), p),
        (float(t[0]), float(t[-1])), y0, t_eval=t, method="LSODA", rtol=1e-8, atol=1e-8,
        max_step=float(np.min(np.diff(t))) if t.size < 2000 else np.inf,
    )
    if not sol.success:  # pragma: no cover - LSODA does not fail on this smooth system
        raise RuntimeError(sol.message)
    local, rmtg, da, c = np.maximum(sol.y, 0.0)
    return CircuitState(a.astype(float), local, rmtg, _inhibition(p, a, local, rmtg), da, c)


def calibrate_inhibition_weight(params: CircuitParameters | None = None,
                                fold_at_saturating_morphine: float = 3.0) -> float:
    """The ``inhibition_weight`` for which saturating morphine gives
    ``fold_at_saturating_morphine`` times baseline accumbens dopamine (default 3.0: the top of
    Wise et al. 1995's 150-300%)."""
    p = params or DEFAULT_CIRCUIT
    fold = check_in_range("fold_at_saturating_morphine", fold_at_saturating_morphine, 1.0001, 10.0)
    a = float(mu_activation(_SATURATING, 0.0, endogenous_occupancy=p.endogenous_occupancy))

    def excess(w):
        q = replace(p, inhibition_weight=w)
        return float(steady_state(a, q).nac_dopamine_nM) / q.nac_baseline_nM - fold

    return float(optimize.brentq(excess, 0.01, 200.0, xtol=1e-10))


# --- drugs ---------------------------------------------------------------------------------------
def percent_change(value, reference):
    """``100 (value - reference) / reference``: +35 means 135% of the reference."""
    v = as_float_array("value", value)
    ref = check_positive("reference", reference)
    return scalar_or_array(100.0 * (v - ref) / ref)


def dopamine_response(opioid_occupancy=0.0, naltrexone_occupancy=0.0, *, opioid: str = "morphine",
                      params: CircuitParameters | None = None, receptor_density=1.0,
                      endogenous_level=1.0) -> CircuitState:
    """Steady state of the circuit with an opioid and naltrexone, each given by the occupancy it
    would reach alone (fractions in [0, 1)). The endogenous tone is always present;
    ``receptor_density`` (fraction of normal) scales every agonist's efficacy and
    ``endogenous_level`` (fraction of normal) the endogenous ligand's concentration."""
    p = params or DEFAULT_CIRCUIT
    a = mu_activation(opioid_occupancy, naltrexone_occupancy, opioid=opioid,
                      endogenous_occupancy=p.endogenous_occupancy, receptor_density=receptor_density,
                      endogenous_level=endogenous_level)
    return steady_state(a, p)


def percent_of_baseline(opioid_occupancy=0.0, naltrexone_occupancy=0.0, *, opioid: str = "morphine",
                        params: CircuitParameters | None = None, receptor_density=1.0,
                        endogenous_level=1.0):
    """Accumbens dopamine as % of the drug-naive baseline (100 = baseline) with an opioid and
    naltrexone, each given by the occupancy it would reach alone. Broadcasts over both and over
    ``receptor_density`` (fraction of normal; the baseline is always that of normal density).

    Examples
    --------
    >>> round(float(percent_of_baseline(0.0, 0.0)), 6)
    100.0
    """
    p = params or DEFAULT_CIRCUIT
    c = dopamine_response(opioid_occupancy, naltrexone_occupancy, opioid=opioid, params=p,
                          receptor_density=receptor_density, endogenous_level=endogenous_level)
    return scalar_or_array(100.0 * c.nac_dopamine_nM / float(baseline(p).nac_dopamine_nM))


def fraction_of_rise_blocked(opioid_occupancy, naltrexone_occupancy, *, opioid: str = "morphine",
                             params: CircuitParameters | None = None):
    """Fraction (0-1) of the opioid-evoked dopamine rise that naltrexone removes.

    The rise with naltrexone is read against the level naltrexone alone gives (as a dialysis
    study reads a challenge against the samples just before it):
    ``1 - (D(A, N) - D(0, N)) / (D(A, 0) - D(0, 0))``. For a small challenge it is close to
    naltrexone's own occupancy, because ``x_A / (1 + x_N)`` is what the agonist still sees. For
    a challenge large enough to overcome the block completely it can dip slightly below 0:
    the rise is then read from naltrexone's lowered level. :func:`share_of_rise_blocked` is the
    share to report (0 there: nothing is blocked).
    """
    p = params or DEFAULT_CIRCUIT
    o = check_fraction("opioid_occupancy", opioid_occupancy, open_high=True)
    if np.any(o == 0):
        raise ValueError("opioid_occupancy must be > 0 (no opioid, no rise to block); got "
                         f"{opioid_occupancy!r}")

    def d(a, n):
        return percent_of_baseline(a, n, opioid=opioid, params=p)

    return scalar_or_array(1.0 - (d(o, naltrexone_occupancy) - d(0.0, naltrexone_occupancy))
                   / (d(o, 0.0) - d(0.0, 0.0)))


def share_of_rise_blocked(opioid_occupancy, naltrexone_occupancy, *, opioid: str = "morphine",
                          params: CircuitParameters | None = None):
    """The share (fraction in [0, 1]) of the opioid-evoked rise that naltrexone blocks, as a
    learner should read it: :func:`fraction_of_rise_blocked` with its dip below 0 set to 0.

    Why it dips: naltrexone alone lowers dopamine (it displaces the endogenous tone), while a
    challenge large enough to overcome the block completely reaches nearly the same top with or
    without naltrexone. The rise *read from naltrexone's lowered level* is then slightly larger
    than the rise without naltrexone (for morphine at 100 x Kd and the trough of 50 mg/day,
    by about 3%). That is not a negative block but none: the challenge has surmounted the
    blockade. Returns 0 wherever the rise with naltrexone is at least the rise without it.

    Examples
    --------
    >>> float(share_of_rise_blocked(0.99, 0.918))  # a saturating challenge: nothing blocked
    0.0
    """
    f = fraction_of_rise_blocked(opioid_occupancy, naltrexone_occupancy, opioid=opioid,
                                 params=params)
    return scalar_or_array(np.clip(f, 0.0, 1.0))


def occupancy_for_rise(percent_rise: float, *, opioid: str = "morphine",
                       naltrexone_occupancy: float = 0.0,
                       params: CircuitParameters | None = None) -> float:
    """Opioid occupancy (fraction, when alone) at which accumbens dopamine is ``percent_rise``
    above baseline; raises ValueError if the opioid cannot reach that rise."""
    p = params or DEFAULT_CIRCUIT
    rise = check_in_range("percent_rise", percent_rise, 0.0, 1000.0)
    base = float(baseline(p).nac_dopamine_nM)

    def excess(o):
        c = float(dopamine_response(o, naltrexone_occupancy, opioid=opioid, params=p).nac_dopamine_nM)
        return percent_change(c, base) - rise

    top = _SATURATING
    if excess(top) < 0:
        raise ValueError(f"percent_rise {rise:g}% is beyond what {opioid} can give in this circuit "
                         f"(at most {excess(top) + rise:.0f}%)")
    if excess(0.0) >= 0:
        return 0.0
    return float(optimize.brentq(excess, 0.0, top, xtol=1e-12))


def resting_dopamine_nM(release_per_spike_nM: float, params: CircuitParameters | None = None):
    """Resting accumbens dopamine (nM) if each dopamine spike released ``release_per_spike_nM``
    (nM of extracellular dopamine per spike, >= 0) at the baseline firing rate, with the same
    uptake constants. Shows how much release per spike would have to differ for the model to
    give a voltammetric rather than a microdialysis baseline.

    Examples
    --------
    >>> p = CircuitParameters()
    >>> round(float(resting_dopamine_nM(p.release_nM_per_s_per_Hz, p)), 6)
    4.0
    """
    p = params or DEFAULT_CIRCUIT
    per_spike = check_nonnegative("release_per_spike_nM", release_per_spike_nM)
    return nac_dopamine_nM(per_spike * p.dopamine_baseline_Hz, p.dat_vmax_nM_per_s, p.dat_km_nM,
                           p.other_clearance_per_s)


def release_per_spike_for(resting_nM, params: CircuitParameters | None = None):
    """Release per spike (nM) that gives ``resting_nM`` at the baseline rate: the inverse of
    :func:`resting_dopamine_nM` (release equals clearance at that concentration).

    Examples
    --------
    >>> p = CircuitParameters()
    >>> round(float(release_per_spike_for(90.0, p) / p.release_nM_per_s_per_Hz), 1)
    15.9
    """
    p = params or DEFAULT_CIRCUIT
    c = check_nonnegative("resting_nM", resting_nM)
    clearance = p.dat_vmax_nM_per_s * c / (p.dat_km_nM + c) + p.other_clearance_per_s * c
    return scalar_or_array(clearance / p.dopamine_baseline_Hz)


@functools.lru_cache(maxsize=256)
def _trough(dose_mg: float, model: str) -> float:
    return blockade_summary(dose_mg, "once daily", model, days=14, step_h=0.1).lowest


def naltrexone_trough_occupancy(dose_mg_per_day: float, model: str = "brain kinetics") -> float:
    """Lowest mu occupancy (fraction) on day 14 of once-daily oral naltrexone (chapter 2).

    The trough is the moment the blockade is weakest, so it is the fair test of whether a daily
    dose "blocks" an opioid. 0 mg gives 0.

    Examples
    --------
    >>> round(naltrexone_trough_occupancy(50.0), 2)
    0.88
    """
    dose = check_in_range("dose_mg_per_day", dose_mg_per_day, 0.0, 400.0)
    model = check_choice("model", model, MODELS)
    if dose == 0.0:
        return 0.0
    return _trough(round(dose, 9), model)


@dataclass(frozen=True)
class OpioidKinetics:
    """Shape of an opioid's effect-site concentration after one intravenous dose (a Bateman
    curve), set from how long the effect of that dose lasts.

    This is not the drug's elimination from the body: buprenorphine's effect after an i.v. dose
    fades with a half-life of about 3 h here, while its elimination half-life in maintenance is
    about 37 h (:data:`naltrexone_lab.models.withdrawal.MAINTENANCE_OPIOIDS`).

    Attributes
    ----------
    time_to_peak_h : float, h
        Time from the dose to the peak effect.
    effect_half_life_h : float, h
        Half-life of the decline of the effect-site concentration after one dose.
    source : str
    """

    time_to_peak_h: float
    effect_half_life_h: float
    source: str

    def __post_init__(self):
        check_positive("time_to_peak_h", self.time_to_peak_h)
        check_positive("effect_half_life_h", self.effect_half_life_h)

    @property
    def rates_per_h(self) -> tuple[float, float]:
        """(rise, decline) rate constants (1/h) of the Bateman curve that peaks at
        ``time_to_peak_h``: ``t_peak = ln(k_in / k_out) / (k_in - k_out)``."""
        k_out = math.log(2.0) / self.effect_half_life_h
        if self.time_to_peak_h >= 1.0 / k_out:
            raise ValueError(f"time_to_peak_h must be below effect_half_life_h / ln 2 "
                             f"({1.0 / k_out:.3g} h); got {self.time_to_peak_h}")
        k_in = optimize.brentq(lambda k: math.log(k / k_out) / (k - k_out) - self.time_to_peak_h,
                               k_out * (1.0 + 1e-9), k_out * 1e6)
        return float(k_in), k_out


#: Effect time course after one intravenous dose (confidence L-M: from product labels, which give
#: times to peak and durations rather than effect-site kinetics).
OPIOID_KINETICS = {
    "morphine": OpioidKinetics(
        0.33, 2.5, "peak analgesia about 20 min after an i.v. dose (morphine sulfate injection "
        "labels); elimination half-life 2-3 h (Glare & Walsh 1991 Ther Drug Monit 13:1)"),
    "fentanyl": OpioidKinetics(
        0.08, 0.4, "peak within minutes of an i.v. dose; effect lasts 30-60 min after up to "
        "100 ug (fentanyl citrate injection label); half-life set to about half that duration"),
    "buprenorphine": OpioidKinetics(
        1.0, 3.0, "peak effect about 1 h, duration about 6 h (Buprenex label); half-life set to "
        "half that duration"),
}


def opioid_occupancy_profile(time_h, peak_occupancy: float, opioid: str = "morphine"):
    """Occupancy (fraction) an opioid alone would reach over time after one dose at t = 0.

    The effect-site concentration follows a Bateman curve scaled so that its peak gives
    ``peak_occupancy``; occupancy is ``x / (1 + x)`` with ``x = C / Kd``.
    """
    t = check_nonnegative("time_h", time_h)
    x = opioid_concentration_ratio(np.atleast_1d(t), [0.0], peak_occupancy, opioid)
    return scalar_or_array((x / (1.0 + x)).reshape(np.shape(t)))


def opioid_concentration_ratio(time_h, dose_times_h, peak_occupancy: float, opioid: str = "morphine"):
    """Effect-site concentration over Kd (``x``) for repeated equal doses at ``dose_times_h``.

    Each dose adds one Bateman curve scaled so that a single dose alone peaks at
    ``peak_occupancy`` (concentrations add; occupancies do not). The occupancy the opioid would
    reach alone is ``x / (1 + x)``.

    Examples
    --------
    >>> x = opioid_concentration_ratio([0.33], [0.0], 0.5)
    >>> round(float(x[0]), 3)
    1.0
    """
    t = check_nonnegative("time_h", time_h)
    doses = check_nonnegative("dose_times_h", dose_times_h)
    if t.ndim != 1 or doses.ndim != 1:
        raise ValueError("time_h and dose_times_h must be 1-D arrays")
    peak = float(check_fraction("peak_occupancy", peak_occupancy, open_high=True))
    opioid = check_choice("opioid", opioid, OPIOIDS)
    kin = OPIOID_KINETICS[opioid]
    k_in, k_out = kin.rates_per_h
    norm = math.exp(-k_out * kin.time_to_peak_h) - math.exp(-k_in * kin.time_to_peak_h)
    # Between two doses the sum of the curves so far is a(t) - b(t), each term decaying at its
    # own rate from the last dose: carried from dose to dose, a and b give every time point in
    # one pass (a loop over the doses alone), where adding each dose's curve over the whole
    # grid took doses x points (a month of use: 56 x 6700)
    order = np.sort(doses)
    a_after = np.empty(order.size)
    b_after = np.empty(order.size)
    a = b = 0.0
    for j, d in enumerate(order.tolist()):
        if j:
            gap = d - float(order[j - 1])
            a, b = a * math.exp(-k_out * gap), b * math.exp(-k_in * gap)
        a, b = a + 1.0, b + 1.0
        a_after[j], b_after[j] = a, b
    last = np.searchsorted(order, t, side="right") - 1  # the last dose at or before each time
    x = np.zeros_like(t)
    given = last >= 0
    dt = t[given] - order[last[given]]
    x[given] = a_after[last[given]] * np.exp(-k_out * dt) - b_after[last[given]] * np.exp(-k_in * dt)
    return peak / (1.0 - peak) * x / norm


@dataclass(frozen=True)
class TimeCourse:
    """Circuit response over hours after an opioid dose, at quasi-steady state.

    Attributes
    ----------
    time_h : ndarray, h
    opioid_occupancy : ndarray, fraction (occupancy the opioid would reach alone)
    state : CircuitState
    baseline : CircuitState
    """

    time_h: np.ndarray
    opioid_occupancy: np.ndarray
    state: CircuitState
    baseline: CircuitState

    @property
    def nac_percent_of_baseline(self) -> np.ndarray:
        """Accumbens dopamine as % of its drug-free baseline (100 = baseline)."""
        return 100.0 * self.state.nac_dopamine_nM / float(self.baseline.nac_dopamine_nM)


def time_course(time_h, peak_occupancy: float, *, opioid: str = "morphine",
                naltrexone_occupancy: float = 0.0,
                params: CircuitParameters | None = None) -> TimeCourse:
    """GABA rates, dopamine firing and accumbens dopamine after one opioid dose at t = 0, with
    naltrexone held at ``naltrexone_occupancy`` throughout (its occupancy changes over days,
    the opioid's over hours)."""
    p = params or DEFAULT_CIRCUIT
    t = check_nonnegative("time_h", time_h)
    occ = opioid_occupancy_profile(t, peak_occupancy, opioid)
    state = dopamine_response(occ, naltrexone_occupancy, opioid=opioid, params=p)
    return TimeCourse(np.asarray(t, dtype=float), np.asarray(occ, dtype=float), state, baseline(p))

