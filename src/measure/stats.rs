//! The statistics `measure` needs, implemented here: a handful of well-known numerical routines
//! (no statistics crate, so every formula is in view and tested against published values).
//!
//! - the standard normal CDF (through the regularized incomplete gamma function, since
//!   erf(x) = P(1/2, x²)) and quantile (Acklam's rational approximation, polished by one
//!   Halley step to full double precision);
//! - Student's t CDF through the regularized incomplete beta function (Numerical Recipes'
//!   continued fraction, Lentz's method) and its quantile by bisection;
//! - the chi-square survival function through the regularized incomplete gamma function;
//! - Wilson's score interval for one proportion and Newcombe's hybrid score interval (his
//!   method 10, 1998) for a difference of two independent proportions, with the two-proportion
//!   z-test (pooled) for its p-value;
//! - Welch's t interval and test for a difference of two means with unequal variances;
//! - chi-square goodness of fit, and the minimum detectable effect of a two-proportion test.

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularized lower incomplete gamma function P(a, x) and its complement Q = 1 - P, each
/// computed directly where it converges fast (series below a + 1, continued fraction above), so
/// that small tail probabilities keep their precision.
fn gamma_pq(a: f64, x: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    let front = (-x + a * x.ln() - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        let p = (sum * front).min(1.0);
        (p, 1.0 - p)
    } else {
        // Lentz's method for the continued fraction of Q.
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        let q = (front * h).min(1.0);
        (1.0 - q, q)
    }
}

/// Standard normal CDF Φ(x).
pub fn norm_cdf(x: f64) -> f64 {
    // Φ(x) = (1 + erf(x/√2)) / 2 and erf(y) = P(1/2, y²) for y ≥ 0; the tail is taken as Q
    // directly so that Φ(-8) keeps its digits.
    let (_, q) = gamma_pq(0.5, x * x / 2.0);
    if x >= 0.0 { 1.0 - q / 2.0 } else { q / 2.0 }
}

/// Standard normal quantile Φ⁻¹(p) for 0 < p < 1.
pub fn norm_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    // Acklam's approximation (relative error 1.15e-9) ...
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let low = 0.024_25;
    let x = if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // ... and one step of Halley's method on Φ(x) - p.
    let e = norm_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// The continued fraction of the regularized incomplete beta function (Numerical Recipes'
/// `betacf`, Lentz's method).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let floor = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / floor(1.0 - qab * x / qap);
    let mut h = d;
    // One term of the fraction: update Lentz's d and c and return their product.
    let mut term = |aa: f64| {
        d = 1.0 / floor(1.0 + aa * d);
        c = floor(1.0 + aa / c);
        d * c
    };
    for m in 1..10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        h *= term(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let delta = term(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta function I_x(a, b).
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) { front * beta_cf(a, b, x) / a } else { 1.0 - front * beta_cf(b, a, 1.0 - x) / b }
}

/// Student's t CDF with `df` degrees of freedom (any real df > 0, as Welch's test needs).
pub fn t_cdf(t: f64, df: f64) -> f64 {
    // P(T > |t|) = I_{df/(df+t²)}(df/2, 1/2) / 2.
    let tail = inc_beta(df / 2.0, 0.5, df / (df + t * t)) / 2.0;
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// Student's t quantile by bisection on the CDF (monotone, so 200 halvings reach the precision
/// of a double on any bracket).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !df.is_finite() || df > 1e7 {
        return norm_quantile(p);
    }
    let (mut lo, mut hi) = (-1e4, 1e4);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Chi-square survival function P(X > x) with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    gamma_pq(df / 2.0, x / 2.0).1
}

/// Wilson's score interval for x successes in n trials at normal quantile z.
pub fn wilson(x: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (n, p) = (n as f64, x as f64 / n as f64);
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denom = 1.0 + z2 / n;
    (((centre - half) / denom).max(0.0), ((centre + half) / denom).min(1.0))
}

/// A difference with its confidence interval and p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
    pub p_value: f64,
}

/// p1 - p2 for x1/n1 and x2/n2: Newcombe's hybrid score interval (1998, method 10) at the
/// given confidence, and the two-sided p-value of the pooled two-proportion z-test.
pub fn newcombe_difference(x1: u64, n1: u64, x2: u64, n2: u64, confidence: f64) -> Difference {
    let z = norm_quantile(1.0 - (1.0 - confidence) / 2.0);
    let (p1, p2) = (ratio(x1, n1), ratio(x2, n2));
    let (l1, u1) = wilson(x1, n1, z);
    let (l2, u2) = wilson(x2, n2, z);
    let d = p1 - p2;
    let low = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let high = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Difference { estimate: d, low, high, p_value: two_proportion_p(x1, n1, x2, n2) }
}

/// Two-sided p-value of the two-proportion z-test with the pooled proportion.
pub fn two_proportion_p(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 1.0;
    }
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return 1.0;
    }
    let z = (ratio(x1, n1) - ratio(x2, n2)) / se;
    2.0 * norm_cdf(-z.abs())
}

fn ratio(x: u64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { x as f64 / n as f64 }
}

/// Mean, sample variance (n - 1) and count of a sample, summed in the given order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub variance: f64,
}

impl Moments {
    /// Moments of `values` (Welford's update, stable for large sums of money).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Moments {
        let (mut n, mut mean, mut m2) = (0u64, 0.0, 0.0);
        for v in values {
            n += 1;
            let delta = v - mean;
            mean += delta / n as f64;
            m2 += delta * (v - mean);
        }
        Moments { n, mean, variance: if n > 1 { m2 / (n - 1) as f64 } else { 0.0 } }
    }
}

/// mean1 - mean2 with Welch's t interval (Welch-Satterthwaite degrees of freedom) at the given
/// confidence and the two-sided p-value of Welch's t-test. `None` when a side has fewer than two
/// values or both variances are zero (no interval can be given).
pub fn welch_difference(a: Moments, b: Moments, confidence: f64) -> Option<Difference> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (va, vb) = (a.variance / a.n as f64, b.variance / b.n as f64);
    let se2 = va + vb;
    if se2 <= 0.0 {
        return None;
    }
    let df = se2 * se2 / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
    let se = se2.sqrt();
    let d = a.mean - b.mean;
    let q = t_quantile(1.0 - (1.0 - confidence) / 2.0, df);
    let t = d / se;
    Some(Difference { estimate: d, low: d - q * se, high: d + q * se, p_value: 2.0 * t_cdf(-t.abs(), df) })
}

/// Chi-square goodness of fit of observed counts against expected shares (which need not sum to
/// one: they are normalised). Returns (statistic, degrees of freedom, p-value); `None` with
/// fewer than two categories or no observations.
pub fn chi2_goodness_of_fit(observed: &[u64], shares: &[f64]) -> Option<(f64, f64, f64)> {
    let total: u64 = observed.iter().sum();
    let share_sum: f64 = shares.iter().sum();
    if observed.len() < 2 || observed.len() != shares.len() || total == 0 || share_sum <= 0.0 {
        return None;
    }
    let mut stat = 0.0;
    for (&o, &s) in observed.iter().zip(shares) {
        let e = total as f64 * s / share_sum;
        if e > 0.0 {
            stat += (o as f64 - e).powi(2) / e;
        }
    }
    let df = (observed.len() - 1) as f64;
    Some((stat, df, chi2_sf(stat, df)))
}

/// The smallest absolute difference in a proportion that a two-sided test at level `alpha`
/// detects with probability `power`, for groups of n1 and n2 around a baseline rate p:
/// (z_{1-α/2} + z_{power}) √(p(1-p)(1/n1 + 1/n2)).
pub fn minimum_detectable_effect(p: f64, n1: u64, n2: u64, alpha: f64, power: f64) -> Option<f64> {
    if n1 == 0 || n2 == 0 || p <= 0.0 || p >= 1.0 {
        return None;
    }
    let z = norm_quantile(1.0 - alpha / 2.0) + norm_quantile(power);
    Some(z * (p * (1.0 - p) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn normal_distribution_matches_tables() {
        // Values from any table (and scipy.stats.norm).
        for (x, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.959_963_984_540_054, 0.025),
            (2.575_829_303_548_901, 0.995),
            (-5.0, 2.866_515_718_791_933e-7),
        ] {
            assert!(close(norm_cdf(x), p, 1e-12 * p.max(1e-3)), "Φ({x}) = {} not {p}", norm_cdf(x));
        }
        assert!(close(norm_quantile(0.975), 1.959_963_984_540_054, 1e-12));
        assert!(close(norm_quantile(0.8), 0.841_621_233_572_914_3, 1e-12));
        assert!(close(norm_quantile(1e-6), -4.753_424_308_822_899, 1e-10));
    }

    #[test]
    fn newcombe_1998_table_ii_method_10() {
        // Newcombe (1998), "Interval estimation for the difference between independent
        // proportions", Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score),
        // as published (four decimals). Example (a), 56/70 - 48/80, is a difference of 0.2000
        // with the interval (0.0524, 0.3339).
        for (x1, n1, x2, n2, d, lo, hi) in [
            (56, 70, 48, 80, 0.2000, 0.0524, 0.3339),
            (9, 10, 3, 10, 0.6000, 0.1705, 0.8090),
            (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
            (0, 10, 0, 20, 0.0, -0.1611, 0.2775),
            (0, 10, 0, 10, 0.0, -0.2775, 0.2775),
            (10, 10, 0, 20, 1.0, 0.6791, 1.0000),
            (10, 10, 0, 10, 1.0, 0.6075, 1.0000),
        ] {
            let got = newcombe_difference(x1, n1, x2, n2, 0.95);
            assert!(
                close(got.estimate, d, 5e-5) && close(got.low, lo, 5e-5) && close(got.high, hi, 5e-5),
                "{x1}/{n1} - {x2}/{n2}: {got:?}, published {d} ({lo}, {hi})"
            );
        }
        // Wilson's interval for 81/263 (Newcombe 1998, the single-proportion paper): (0.2553, 0.3662).
        let (l, u) = wilson(81, 263, norm_quantile(0.975));
        assert!(close(l, 0.2553, 5e-5) && close(u, 0.3662, 5e-5), "{l} {u}");
    }

    // The expected values below were computed with scipy 1.x (scipy.stats) and hardcoded.
    #[test]
    fn welch_matches_scipy() {
        let a = [19.0, 0.0, 0.0, 54.5, 12.0, 0.0, 33.25, 7.5, 0.0, 21.0];
        let b = [0.0, 0.0, 5.0, 0.0, 12.5, 0.0, 3.0, 0.0];
        // ttest_ind(a, b, equal_var=False): t = 2.0620199746361907, p = 0.06523942379034849,
        // df = 10.3442876493845, 95 % CI (-0.9207757461226613, 25.24577574612266).
        let d = welch_difference(Moments::of(a), Moments::of(b), 0.95).unwrap();
        assert!(close(d.p_value, 0.065_239_423_790_348_49, 1e-10), "{d:?}");
        assert!(close(d.low, -0.920_775_746_122_661_3, 1e-8), "{d:?}");
        assert!(close(d.high, 25.245_775_746_122_66, 1e-8), "{d:?}");
    }

    #[test]
    fn t_and_chi_square_match_scipy() {
        assert!(close(t_cdf(2.1, 7.3), 0.963_876_643_287_573_3, 1e-12));
        assert!(close(t_cdf(-0.7, 3.0), 0.267_163_499_152_381_8, 1e-12));
        assert!(close(t_quantile(0.975, 12.4), 2.171_043_117_662_886, 1e-9));
        assert!(close(chi2_sf(3.84, 1.0), 0.050_043_521_248_705_19, 1e-12));
        assert!(close(chi2_sf(25.0, 2.0), 3.726_653_172_078_671_8e-6, 1e-15));
        assert!(close(chi2_sf(0.5, 3.0), 0.918_891_411_654_611_6, 1e-12));
        // chisquare([460, 440, 100], [450, 450, 100]): 0.4444444444444444, p 0.8007374029168081.
        let (stat, df, p) = chi2_goodness_of_fit(&[460, 440, 100], &[45.0, 45.0, 10.0]).unwrap();
        assert!(close(stat, 0.444_444_444_444_444_4, 1e-12) && df == 2.0 && close(p, 0.800_737_402_916_808_1, 1e-12));
    }

    #[test]
    fn minimum_detectable_effect_by_hand() {
        // (1.959964 + 0.841621) × √(0.1 × 0.9 × (1/1000 + 1/1000)) = 2.801585 × 0.0134164
        let m = minimum_detectable_effect(0.1, 1000, 1000, 0.05, 0.8).unwrap();
        assert!(close(m, 0.037_587_0, 1e-6), "{m}");
    }

    /// A small seeded generator (splitmix64), so the simulation is the same on every run.
    struct SplitMix(u64);
    impl SplitMix {
        fn uniform(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// 400 simulated campaigns with a known true lift: the 95 % intervals must cover it about
    /// 95 % of the time (92 % to 98 %: the binomial spread of 400 draws at 95 % is ±1.1 %).
    #[test]
    fn intervals_cover_the_true_lift_about_95_percent_of_the_time() {
        let mut rng = SplitMix(20_260_101);
        let (n1, n2, p1, p2) = (600u64, 900u64, 0.11, 0.07);
        let (m1, m2) = (90.0, 70.0); // mean order value (exponential)
        let (mut covered_p, mut covered_r) = (0, 0);
        let sims = 400;
        for _ in 0..sims {
            let mut arm = |n: u64, p: f64, m: f64| {
                let mut x = 0;
                let mut revenue = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    if rng.uniform() < p {
                        x += 1;
                        revenue.push(-m * (1.0 - rng.uniform()).ln());
                    } else {
                        revenue.push(0.0);
                    }
                }
                (x, Moments::of(revenue))
            };
            let (x1, r1) = arm(n1, p1, m1);
            let (x2, r2) = arm(n2, p2, m2);
            let d = newcombe_difference(x1, n1, x2, n2, 0.95);
            covered_p += usize::from(d.low <= p1 - p2 && p1 - p2 <= d.high);
            let w = welch_difference(r1, r2, 0.95).unwrap();
            let truth = p1 * m1 - p2 * m2;
            covered_r += usize::from(w.low <= truth && truth <= w.high);
        }
        let (cp, cr) = (covered_p as f64 / sims as f64, covered_r as f64 / sims as f64);
        assert!((0.92..=0.98).contains(&cp), "Newcombe coverage {cp}");
        assert!((0.92..=0.98).contains(&cr), "Welch coverage {cr}");
    }
}
