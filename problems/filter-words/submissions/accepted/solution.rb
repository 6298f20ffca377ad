# @param {String[]} words
# @param {Character} letter
# @param {Boolean} ignore_case
# @return {String[]}
def filter_words(words, letter, ignore_case)
  if ignore_case
    words.select { |w| !w.empty? && w[0].downcase == letter.downcase }
  else
    words.select { |w| w[0] == letter }
  end
end
