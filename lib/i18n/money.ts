/**
 * Honest money figures and profit (SPEC 18, docs/money.md): the `money` area of the one dictionary
 * (uk.ts, en.ts), its own file like costs.ts. Same keys in both languages (the type checks it).
 * `{n}` placeholders are filled with `fill` (format.ts).
 */
export const moneyUk = {
  roasPaid: "ROAS кампаній з витратами",
  roasPaidHelp: "Дохід рядків, що мають витрати / витрати",
  blendedRoas: "Змішаний ROAS (MER)",
  blendedRoasHelp: "Увесь дохід за період / усі витрати",
  paidRevenue: "Дохід кампаній з витратами",
  margin: "Маржинальний прибуток",
  marginHelp: "Чистий дохід − собівартість − доставка − комісії платежів",
  poas: "POAS",
  poasHelp: "Маржинальний прибуток / витрати",
  ncac: "nCAC",
  ncacHelp: "Витрати / нові клієнти",
  newCustomers: "Нові клієнти",
  ordersWithoutCost: "Замовлень без собівартості: {n}",
  withoutCostExcluded: "не входять у маржу (задайте DEFAULT_MARGIN_PCT або імпортуйте собівартість)",
  withoutCostEstimated: "маржа оцінена за DEFAULT_MARGIN_PCT",
  revenueView: "Дохід",
  revenueViews: { gross: "Валовий", net: "Чистий", margin: "Маржа" },
  paybackBasis: "Клієнти",
  paybackBases: { paid: "З платних кампаній", all: "Усі клієнти" },
  paybackPaidHelp: "Лише клієнти, залучені джерелом і кампанією, що мають витрати в періоді когорти.",
  paybackAllHelp: "Усі клієнти когорти, зокрема залучені безкоштовно: окупність завищена.",
  leading: "Попереду: {v} — результат ще не значущий, переможця немає",
  singleVariant: "Лише один варіант: немає з чим порівнювати",
  emailSection: "Витрати й віддача",
};

export type MoneyStrings = typeof moneyUk;

export const moneyEn: MoneyStrings = {
  roasPaid: "ROAS of campaigns with spend",
  roasPaidHelp: "Revenue of the rows with spend / spend",
  blendedRoas: "Blended ROAS (MER)",
  blendedRoasHelp: "All revenue in the range / all spend",
  paidRevenue: "Revenue of campaigns with spend",
  margin: "Contribution margin",
  marginHelp: "Net revenue − product cost − shipping cost − payment fees",
  poas: "POAS",
  poasHelp: "Contribution margin / spend",
  ncac: "nCAC",
  ncacHelp: "Spend / new customers",
  newCustomers: "New customers",
  ordersWithoutCost: "Orders without a known cost: {n}",
  withoutCostExcluded: "left out of margin (set DEFAULT_MARGIN_PCT or import product costs)",
  withoutCostEstimated: "margin estimated with DEFAULT_MARGIN_PCT",
  revenueView: "Revenue",
  revenueViews: { gross: "Gross", net: "Net", margin: "Margin" },
  paybackBasis: "Customers",
  paybackBases: { paid: "From paid campaigns", all: "All customers" },
  paybackPaidHelp: "Only customers acquired by a source and campaign with spend in the cohort's period.",
  paybackAllHelp: "Every customer of the cohort, free ones too: payback is overstated.",
  leading: "Leading: {v} — not significant yet, no winner",
  singleVariant: "Only one variant: nothing to compare it with",
  emailSection: "Spend and return",
};
